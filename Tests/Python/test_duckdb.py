"""analysis/mailscrub.sql: typed DuckDB readers that lose no sparse value."""
import json
import os
import tempfile
import unittest

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "Tests", "MailScrubCoreTests", "Golden")


def connect():
    connection = duckdb.connect()
    with open(os.path.join(ROOT, "analysis", "mailscrub.sql")) as f:
        connection.execute(f.read())
    return connection


def first_object(path):
    with open(path) as f:
        return json.loads(f.readline())


class DuckDBTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def write(self, name, objects):
        path = os.path.join(self.directory.name, name)
        with open(path, "w") as f:
            for value in objects:
                f.write(json.dumps(value, separators=(",", ":")) + "\n")
        return path

    def test_sparse_fields_after_fifty_thousand_rows_keep_their_values(self):
        record = first_object(os.path.join(GOLDEN, "records", "outgoing.ndjson"))
        quiet = dict(record, spam_score=None, list=None, date=None, cc=None, subject_size=None)
        late = dict(record, spam_score=2.5, list="b2ac4ec48494f5d6061ed3a28ffd2b93@9d9039d919e894aca3324a9386edd7e0",
                    date="2026-03-04T10:00:00Z", cc=["2f94ed0f36fd1b51d3e3dfaf4361533a@80a6512af564f96449acb5596cf81527"],
                    subject_size=31)
        path = self.write("deliveries.ndjson", [quiet] * 60_000 + [late, dict(late, spam_score=-1.5)])
        rows = connect().execute(
            "SELECT count(*), count(spam_score), sum(spam_score), count(list), count(date), count(cc), "
            "max(subject_size), typeof(any_value(logged_at)), typeof(any_value(delays)) FROM deliveries(?)",
            [path]).fetchone()
        self.assertEqual(rows, (60_002, 2, 1.0, 2, 2, 2, 31, "TIMESTAMP WITH TIME ZONE", "DOUBLE[]"))

    def test_every_golden_file_reads_with_its_types(self):
        connection = connect()
        records = os.path.join(GOLDEN, "records", "*.ndjson")
        statuses = dict(connection.execute(
            "SELECT status, count(*) FROM deliveries(?) GROUP BY ALL", [records]).fetchall())
        self.assertEqual(statuses["sent"], 28)
        events = os.path.join(GOLDEN, "events", "shapes.ndjson")
        kinds = dict(connection.execute("SELECT event, count(*) FROM events(?) GROUP BY ALL", [events]).fetchall())
        self.assertIn("delivery", kinds)
        # A policy that drops fields: those read as NULL, the rest keep their types.
        strict = os.path.join(GOLDEN, "policies", "strict.records.ndjson")
        dropped = connection.execute(
            "SELECT count(delays), count(subject_size), count(message_size) FROM deliveries(?)", [strict]).fetchone()
        self.assertEqual(dropped[:2], (0, 0))
        self.assertGreater(dropped[2], 0)

    def test_parquet_export_by_host_and_day(self):
        connection = connect()
        records = os.path.join(GOLDEN, "records", "*.ndjson")
        out = os.path.join(self.directory.name, "deliveries")
        connection.execute(
            f"COPY (SELECT *, CAST(logged_at AS DATE) AS day FROM deliveries('{records}')) "
            f"TO '{out}' (FORMAT parquet, PARTITION_BY (host, day))")
        self.assertTrue(os.path.isdir(os.path.join(out, "host=mx1")))
        back = connection.execute(
            f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet', hive_partitioning = true)").fetchone()[0]
        total = connection.execute("SELECT count(*) FROM deliveries(?)", [records]).fetchone()[0]
        self.assertEqual(back, total)


if __name__ == "__main__":
    unittest.main()
