"""Database expressions Django lacks in a portable form."""

from django.db.models import DurationField, Func


class Seconds(Func):
    """A number of seconds (int or float expression) as a duration.

    PostgreSQL multiplies by an interval literal; SQLite holds durations as
    microseconds, and Django's SQLite date arithmetic needs them as an
    integer (a float turns the whole sum into NULL).
    """

    output_field = DurationField()
    template = "(%(expressions)s * INTERVAL '1 second')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST((%(expressions)s * 1000000) AS INTEGER)", **extra_context
        )
