# gunicorn settings for the reintegration application (see docs/deploy.md).
import multiprocessing

bind = "127.0.0.1:8001"
wsgi_app = "reintegration.wsgi:application"
workers = max(2, multiprocessing.cpu_count())
threads = 2
timeout = 60  # an event's receipts take a few seconds to print
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Request paths only: no query strings, which may carry a searched name or CIN.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
