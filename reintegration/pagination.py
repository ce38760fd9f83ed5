from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, object_list, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number out of range or not a number shows the nearest page."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
