from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 25

# A list that may hold the whole country (the case files) counts its rows up to this many and
# no further: past it the page says "1–25 of more than 10,000". Counting 200,000 case files
# exactly cost a page more than everything else it does; 10,001 rows are counted in a few ms.
COUNT_UP_TO = 10_000
MAX_PAGE = 10**9  # a page number past any list: the whole list is counted, and the last page shown


class CappedPaginator(Paginator):
    """Counts ``object_list`` only as far as it needs: up to ``count_up_to`` rows, or up to the
    end of the page asked for when that lies further (the user walked past the cap with "Next").

    With at most that many rows, the count is exact, as with Django's paginator. With more,
    ``count_capped`` is true, ``count`` is one row past the bound (so the pages up to the one
    asked for and the next exist) and ``counted_to`` is the bound: the page says "more than
    ``counted_to``", which is true, and shows no last page, which it does not know.
    """

    def __init__(self, object_list, per_page, *, count_up_to: int = COUNT_UP_TO, page_asked=None):
        super().__init__(object_list, per_page)
        self.count_up_to = count_up_to
        self.page_asked = page_asked

    def _asked(self) -> int:
        try:
            asked = int(self.page_asked)
        except (TypeError, ValueError, OverflowError):
            return 1  # get_page shows the first page for a number it cannot read
        return min(max(1, asked), MAX_PAGE)

    def get_page(self, number) -> Page:
        page = super().get_page(number)
        if self.count_capped and not page.has_next():
            # A number out of range, which Django answers with the last page: not known here.
            return self.page(1)
        return page

    @cached_property
    def counted_to(self) -> int:
        return max(self.count_up_to, self._asked() * self.per_page)

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):  # a queryset: COUNT(*) over at most counted_to + 1 rows, unsorted
            return rows.order_by()[: self.counted_to + 1].count()
        return len(rows[: self.counted_to + 1])

    @property
    def count_capped(self) -> bool:
        return self.count > self.counted_to


def paginate(request, object_list, *, per_page: int = PAGE_SIZE, count_up_to: int | None = None) -> Page:
    """The requested page; a page number out of range or not a number shows the nearest page.

    ``count_up_to``: count the rows only that far (``CappedPaginator``), for lists too long
    to count on every visit."""
    number = request.GET.get("page")
    if count_up_to is None:
        return Paginator(object_list, per_page).get_page(number)
    return CappedPaginator(object_list, per_page, count_up_to=count_up_to, page_asked=number).get_page(number)
