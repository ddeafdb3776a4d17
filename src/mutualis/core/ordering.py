"""Orders that an index serves on both databases, and the row comparison that resumes them (keyset
pagination: the rows after a given one, read from the index instead of skipped by an OFFSET)."""

from django.db.models import BooleanField, DateField, Expression, F, Func, Value


class DateOrLast(Func):
    """The date, or 31/12/9999 when there is none: an ascending order with the missing dates last.

    SQLite indexes know no NULLS LAST, so « nulls last » sorted the whole table; an index on this very
    expression serves the order on both databases. The date is a literal, not a parameter: SQLite matches
    an indexed expression only when the query spells the same one."""

    template = "COALESCE(%(expressions)s, '9999-12-31')"
    output_field = DateField()


def unindexed(key):
    """The same value as an expression that no index holds (COALESCE(key, key)): ordering by it, the
    database finds the rows by the filters' indexes and sorts them, instead of walking the order's index
    in the hope of meeting them soon (PostgreSQL's estimate when the rows sit at the order's end)."""
    key = F(key) if isinstance(key, str) else key
    return Func(key, key, function="COALESCE")


class RowAfter(Expression):
    """`(key1, key2, …) > (value1, value2, …)` (or `<` with before=True): a row comparison, which both
    databases answer by seeking in an index whose columns are the keys, in the same order."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, keys, values, before: bool = False):
        super().__init__()
        self.keys = [F(key) if isinstance(key, str) else key for key in keys]
        self.values = list(values)
        self.before = before

    def get_source_expressions(self):
        return self.keys

    def set_source_expressions(self, expressions):
        self.keys = list(expressions)

    def as_sql(self, compiler, connection):
        left, right, params = [], [], []
        for key in self.keys:
            sql, key_params = compiler.compile(key)
            left.append(sql)
            params += key_params
        for key, value in zip(self.keys, self.values, strict=True):
            sql, value_params = compiler.compile(Value(value, output_field=key.output_field))
            right.append(sql)
            params += value_params
        operator = "<" if self.before else ">"
        return f"({', '.join(left)}) {operator} ({', '.join(right)})", params
