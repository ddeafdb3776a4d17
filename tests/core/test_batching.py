"""mutualis.core.batching: a job collected inside a batch runs once, at the end of the outermost one."""

import pytest

from mutualis.core.batching import batched, collect


def test_outside_a_batch_the_job_runs_at_once():
    runs = []
    collect(runs.append, [1, 2])
    assert runs == [{1, 2}]


def test_inside_nested_batches_the_job_runs_once_with_everything():
    runs = []
    with batched():
        collect(runs.append, [1])
        with batched():
            collect(runs.append, [2, 1])
        assert runs == []  # the inner block's end is not the batch's
        collect(runs.append, [])  # nothing touched: nothing added
    assert runs == [{1, 2}]


def test_a_failed_batch_drops_its_work_and_the_next_starts_clean():
    runs = []
    with pytest.raises(RuntimeError), batched():
        collect(runs.append, [1])
        raise RuntimeError
    assert runs == []
    with batched():
        collect(runs.append, [3])
    assert runs == [{3}]
