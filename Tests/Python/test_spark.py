"""spark/mailscrub_spark.py in Spark's local mode against one mailscrub run.

Needs pyspark (and Java); skipped without it unless MAILSCRUB_TEST_SPARK=1 (CI), which
makes a missing pyspark a failure. Runs the binary in MAILSCRUB_BINARY, else
dist/mailscrub, else the debug build that swift test leaves."""
import gzip
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAVE_SPARK = importlib.util.find_spec("pyspark") is not None
REQUIRED = os.environ.get("MAILSCRUB_TEST_SPARK") == "1"


def binary():
    for path in (os.environ.get("MAILSCRUB_BINARY"), os.path.join(ROOT, "dist", "mailscrub"),
                 os.path.join(ROOT, ".build", "debug", "mailscrub")):
        if path and os.access(path, os.X_OK):
            return path
    raise unittest.SkipTest("no mailscrub binary: run swift build or make first")


def message_lines(i):
    """The lines of one delivered message, host mx0 to mx2 in turn; queue ids repeat
    across hosts, as they may on separate machines."""
    host = f"mx{i % 3}"
    queue = f"{0x3F2A81C0 + i // 3:08X}D4"
    second = f"{i % 60:02d}"
    stamp = f"May 20 22:17:{second} {host}"
    return [
        f"{stamp} postfix/smtpd[{2100 + i}]: {queue}: client=mail.example.net[198.51.100.{i % 250}]",
        f"{stamp} postfix/cleanup[{2200 + i}]: {queue}: message-id=<{i}.a@example.net>",
        f"{stamp} postfix/qmgr[{2300 + i % 3}]: {queue}: from=<user{i}@example.net>, size={1000 + i}, nrcpt=1 (queue active)",
        f"{stamp} postfix/lmtp[{2400 + i}]: {queue}: to=<rcpt{i % 17}@example.org>, relay=mail.example.org[private/dovecot-lmtp], "
        f"delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
        f"{stamp} postfix/qmgr[{2300 + i % 3}]: {queue}: removed",
    ]


def write_logs(directory):
    """A plain log and a gzip archive; messages of three hosts interleaved line by line."""
    def interleaved(messages):
        streams = [message_lines(i) for i in messages]
        lines = []
        for step in range(5):
            lines += [stream[step] for stream in streams]
        return lines
    plain = interleaved(range(0, 240))
    plain.insert(7, "May 20 22:17:00 mx1 postfix/smtpd[9]: NOQUEUE: reject: RCPT from x[203.0.113.9]: "
                    "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown; "
                    "from=<spam@example.com> to=<nobody@example.org> proto=ESMTP helo=<x>")
    archive = interleaved(range(240, 300))
    first = os.path.join(directory, "mail.log")
    second = os.path.join(directory, "mail.log.1.gz")
    with open(first, "w") as f:
        f.write("\n".join(plain) + "\n")
    with gzip.open(second, "wt") as f:
        f.write("\n".join(archive) + "\n")
    return [first, second]


class HostExtractionTests(unittest.TestCase):
    """The job keeps a host's lines together by the host it reads off each line; it must
    read the same host as mailscrub does, in every header format mailscrub reads."""

    def test_the_host_is_the_one_mailscrub_reads(self):
        sys.path.insert(0, os.path.join(ROOT, "spark"))
        import mailscrub_spark
        formats = os.path.join(ROOT, "Tests", "MailScrubCoreTests", "Golden", "formats")
        checked = 0
        for name in sorted(os.listdir(formats)):
            if not name.endswith((".log", ".json")) or ".lines." in name:
                continue
            path = os.path.join(formats, name)
            with open(path, "rb") as f:
                lines = [line for line in f.read().split(b"\n") if line]
            result = subprocess.run([binary(), "--emit", "events", "--jobs", "1", path], capture_output=True, check=True)
            events = [json.loads(line) for line in result.stdout.splitlines()]
            self.assertEqual(len(events), len(lines), name)
            for line, event in zip(lines, events):
                host = mailscrub_spark.syslog_host(line).decode()
                if event["host"] is None:
                    self.assertEqual(host, "", f"{name}: {line!r}")
                elif not any(c in host for c in ".:") or not host.replace(".", "").replace(":", "").isalnum():
                    self.assertEqual(host, event["host"], f"{name}: {line!r}")
                else:
                    # An IP address as host is hashed in events; a name is kept.
                    self.assertTrue(host == event["host"] or len(event["host"]) == 32, f"{name}: {line!r}")
                checked += 1
        self.assertGreater(checked, 30)


@unittest.skipUnless(HAVE_SPARK or REQUIRED, "pyspark is not installed")
class SparkJobTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="mailscrub-spark-")
        self.config = os.path.join(self.directory, "mailscrub.yml")
        with open(self.config, "w") as f:
            f.write("secret: spark test secret, not for production 0123456789\n")
        os.chmod(self.config, 0o600)
        self.logs = write_logs(self.directory)
        self.binary = binary()

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.directory], check=True)

    def single_run(self, emit):
        result = subprocess.run([self.binary, "--config", self.config, "--year", "2026", "--emit", emit, *self.logs],
                                capture_output=True, check=True)
        return result.stdout

    def spark_job(self, emit, extra=(), logs=None):
        import pyspark
        submit = os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit")
        output = os.path.join(self.directory, f"out-{emit}")
        environment = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
        result = subprocess.run(
            [submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.task.maxFailures=1",
             os.path.join(ROOT, "spark", "mailscrub_spark.py"), "--binary", self.binary, "--emit", emit,
             "--output", output, *extra, "--", "--config", self.config, "--year", "2026", "--", *(logs or self.logs)],
            capture_output=True, env=environment)
        parts = sorted(p for p in os.listdir(output) if p.startswith("part-")) if os.path.isdir(output) else []
        data = b""
        for part in parts:
            with open(os.path.join(output, part), "rb") as f:
                data += f.read()
        return result, data, parts

    def test_lines_by_splits_in_order_are_the_single_run(self):
        result, data, parts = self.spark_job("lines", ["--split-mb", "0.02"])
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace")[-2000:])
        self.assertGreater(len(parts), 4, "the plain log was cut into several splits")
        self.assertEqual(data, self.single_run("lines"))

    def test_records_by_host_are_the_single_runs_records(self):
        result, data, parts = self.spark_job("records", ["--partitions", "3"])
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace")[-2000:])
        single = self.single_run("records")
        self.assertEqual(single.count(b"\n"), 301, "300 deliveries and a reject")
        self.assertEqual(sorted(data.splitlines()), sorted(single.splitlines()))

    def test_a_failing_mailscrub_fails_the_job(self):
        broken = os.path.join(self.directory, "cut.log.gz")
        with open(self.logs[1], "rb") as f:
            archive = f.read()
        with open(broken, "wb") as f:
            f.write(archive[: len(archive) // 2])
        result, _, _ = self.spark_job("lines", logs=[self.logs[0], broken])
        self.assertNotEqual(result.returncode, 0)
        # spark-submit hands the driver's stderr on through its stdout.
        report = result.stdout + result.stderr
        self.assertIn(b"mailscrub_spark: mailscrub failed on " + broken.encode() + b" with exit status 65: "
                      b"mailscrub: " + broken.encode() + b": truncated gzip data", report)


if __name__ == "__main__":
    unittest.main()
