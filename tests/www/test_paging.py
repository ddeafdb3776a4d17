"""The lists' paginators refuse to render more than a bounded page, whatever the address asks."""

from mutualis.www.paging import MAX_PER_PAGE, EstimatingPaginator


def test_a_page_holds_at_most_the_maximum_rows():
    rows = list(range(MAX_PER_PAGE * 3))
    assert EstimatingPaginator(rows, 100_000).per_page == MAX_PER_PAGE
    assert len(EstimatingPaginator(rows, "100000").page(1).object_list) == MAX_PER_PAGE
    assert EstimatingPaginator(rows, 25).per_page == 25
