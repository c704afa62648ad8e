"""A page of the sites an invite link shows: 25 at a time, the pager's links and the totals."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# 25 sites: a screen or two of cards on a phone, and a page whose HTML stays small at any size
# of estate (a card is about 2 KB; 2,000 of them made a page of megabytes).
PER_PAGE = 25


@dataclass(frozen=True)
class SitePage:
    """One page of sites and what its pager shows."""

    page: Page
    links: list[int | None]  # page numbers, None for a gap ("1 … 4 5 6 … 80")

    @property
    def paged(self) -> bool:
        """Whether there is more than one page (a small estate shows no pager at all)."""
        return self.page.paginator.num_pages > 1

    @cached_property
    def sites(self) -> list:
        """The page's sites, loaded once."""
        return list(self.page.object_list)


def site_page(sites: QuerySet, number: str | None, *, count: int | None = None) -> SitePage:
    """The page ``number`` of ``sites`` (a page past the end is the last, junk is the first).

    Args:
        sites: The sites in the order they are listed (position, then id).
        number: The ``page`` of the query string, as sent (may be missing or junk).
        count: How many ``sites`` there are, when the caller counted them already.

    Returns:
        The page; its sites are read by one query, the total by a count (unless given).
    """
    paginator = Paginator(sites, PER_PAGE)
    if count is not None:
        paginator.count = count  # a cached property: the count is not asked for again
    page = paginator.get_page(number)
    elided = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    links = [n if isinstance(n, int) else None for n in elided]
    return SitePage(page=page, links=links)
