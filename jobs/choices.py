from django.db import models
from django.utils.translation import pgettext_lazy


# In a context of their own: a job's state agrees with "job" (French "tâche" is feminine), and
# "Cancelled" is already the word of a cancelled commitment.
class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job status", "Queued")
    RUNNING = "running", pgettext_lazy("job status", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("job status", "Succeeded")
    FAILED = "failed", pgettext_lazy("job status", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("job status", "Cancelled")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
