"""Run mailscrub over many Postfix logs on a Spark cluster.

    spark-submit spark/mailscrub_spark.py --binary dist/mailscrub --emit records \
        --output /shared/out -- --config /shared/mailscrub.yml --year 2026 -- /shared/logs/mail.log*

Every input and the output directory must be on a filesystem each executor mounts
(NFS, CephFS, Lustre, or a FUSE mount of HDFS or S3) and the config (which holds the
secret, or names the key store) must be readable there. The static binary is shipped
to the executors with the job (SparkContext.addFile).

lines and events: each input is cut into splits of --split-mb on line boundaries,
piped to mailscrub; compressed files and files smaller than a split stay whole and
are given to mailscrub by name (it decompresses them). Split N becomes output/part-N, so the parts in name order are the single-run
output. Exact because, under a single key, a line's scrubbed form depends on that line
alone; under rotating keys it also depends on the line's time, which is exact for
stamps with a year (RFC 3339, RFC 5424, journal) or with --year when the log does not
cross a New Year (a split cannot know that an earlier split stepped into January).

records: every line goes to the partition of its syslog host, keeping its place in
the input, and one mailscrub per partition reads that partition's lines in input
order; part-N holds partition N's records. Exact (the same records, as a multiset, as
one run over all inputs) because mailscrub correlates lines by (host, queue id): a
record is made only from lines of its own host, and each host's lines reach one
mailscrub, complete and in order. Lines without a syslog header carry no host and go
to one partition together, as they correlate together in a single run. journalctl's
export format (-o export) spreads an entry over several lines: give the job -o json.
Under a flood
of unfinished messages, eviction at max_open_messages counts per process, so it can
differ from a single run's.

Each mailscrub's exit status is checked (Spark's own RDD.pipe ignores it): a failure
fails the task, with mailscrub's stderr, and then the job, which exits non-zero. As in
a single run, the job fails when not one line of the whole input was a Postfix line.
"""

import argparse
import bz2
import gzip
import lzma
import os
import re
import shutil
import subprocess
import sys
import zlib

COMPRESSED_MAGIC = (b"\x1f\x8b", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"BZh")
STATS = re.compile(rb"^mailscrub: stats: lines read=(\d+) ", re.M)
POSTFIX = re.compile(rb"^mailscrub: stats: lines by format: .* postfix=(\d+)$", re.M)


def is_compressed(path):
    with open(path, "rb") as f:
        head = f.read(6)
    return any(head.startswith(magic) for magic in COMPRESSED_MAGIC)


def splits(paths, split_bytes):
    """(index, path, start, end) units in input order: byte ranges of plain files, whole
    compressed files (end None). A range's lines are those that start inside it."""
    units = []
    for path in paths:
        size = os.path.getsize(path)
        if is_compressed(path) or size <= split_bytes:
            units.append((path, 0, None))
            continue
        for start in range(0, size, split_bytes):
            units.append((path, start, min(start + split_bytes, size)))
    return [(i,) + unit for i, unit in enumerate(units)]


def read_unit(path, start, end):
    """The bytes of a split: the whole lines that start in [start, end)."""
    with open(path, "rb") as f:
        if start > 0:
            f.seek(start - 1)
            # A line that began before `start` belongs to the previous unit.
            if f.read(1) != b"\n":
                f.readline()
        data = bytearray()
        while f.tell() < end:
            line = f.readline()
            if not line:
                break
            data += line
        return bytes(data)


def unit_lines(path, start, end):
    """The lines of a unit, each with its LF (the last line of a file is given one, since
    in a partition the next line is another file's), a whole file read as a stream and
    decompressed on the way. Lines end at LF only, as mailscrub reads them."""
    if end is not None:
        lines = read_unit(path, start, end).split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        for line in lines:
            yield line + b"\n"
        return
    with open(path, "rb") as f:
        head = f.read(6)
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        if shutil.which("zstd") is None:
            raise RuntimeError("a zstd archive needs the zstd command on the executors for records mode")
        process = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        stream = process.stdout
    elif head.startswith(b"\x1f\x8b"):
        stream = gzip.open(path, "rb")
    elif head.startswith(b"\xfd7zXZ\x00"):
        stream = lzma.open(path, "rb")
    elif head.startswith(b"BZh"):
        stream = bz2.open(path, "rb")
    else:
        stream = open(path, "rb")
    with stream:
        for line in stream:
            yield line if line.endswith(b"\n") else line + b"\n"
    if head.startswith(b"\x28\xb5\x2f\xfd") and process.wait() != 0:
        raise RuntimeError(f"zstd could not read {path}")


MONTHS = {b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"}
DAYS = {b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"}
ISO_DATE = re.compile(rb"^\d{4}-\d\d-\d\d")
HOSTNAME_FIELD = re.compile(rb'"_HOSTNAME"\s*:\s*"((?:[^"\\]|\\.)*)"')


def syslog_host(line):
    """The host field of a syslog line in the header formats mailscrub reads (RFC 3164
    with or without <PRI>, RFC 5424, RFC 3339, journalctl short-full and short-unix, a
    journal JSON entry's _HOSTNAME), or b"" for a line without a header. Only used to
    keep each host's lines together, so any stable answer per host would do."""
    # NUL runs of a crash-damaged file, the record separator of json-seq.
    line = line.lstrip(b"\x00\x1e \t")
    if line.startswith(b"{"):
        match = HOSTNAME_FIELD.search(line)
        return match.group(1) if match else b""
    if line.startswith(b"<"):
        close = line.find(b">")
        if 1 < close <= 4 and line[1:close].isdigit():
            line = line[close + 1:]
            if line.startswith(b"1 "):
                fields = line.split(b" ", 3)
                return fields[2] if len(fields) > 2 else b""
    fields = line.split()
    if len(fields) >= 4 and fields[0] in MONTHS:
        return fields[3]
    if len(fields) >= 5 and fields[0] in DAYS and ISO_DATE.match(fields[1]):
        return fields[4]
    if len(fields) >= 3 and ISO_DATE.match(fields[0]) and len(fields[0]) == 10 and b":" in fields[1]:
        return fields[2]
    if len(fields) >= 2 and (ISO_DATE.match(fields[0]) or re.match(rb"^\d{9,}(\.\d+)?$", fields[0])):
        return fields[1]
    return b""


def run_mailscrub(binary, arguments, data, label, path=None):
    """mailscrub ARGUMENTS on the file `path`, else with `data` on stdin: (stdout, lines
    read, Postfix lines). Raises on any exit status but the no-Postfix-line one, which
    the driver judges for the whole input."""
    result = subprocess.run([binary, *arguments, "--stats", path or "-"], input=data, capture_output=True)
    lines = sum(int(n) for n in STATS.findall(result.stderr))
    postfix = sum(int(n) for n in POSTFIX.findall(result.stderr))
    no_postfix_line = result.returncode == 65 and b"lines read are Postfix lines" in result.stderr
    if result.returncode != 0 and not no_postfix_line:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        message = [m for m in message if not m.startswith("mailscrub: stats:")]
        raise RuntimeError(f"mailscrub failed on {label} with exit status {result.returncode}: {' '.join(message)}")
    return result.stdout, lines, postfix


def write_part(output, index, data):
    path = os.path.join(output, f"part-{index:05d}")
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="the static mailscrub binary (make builds dist/mailscrub)")
    parser.add_argument("--emit", choices=["records", "events", "lines"], default="records")
    parser.add_argument("--output", required=True, help="directory for part-NNNNN files (must not exist)")
    parser.add_argument("--split-mb", type=float, default=128, help="lines and events: split size in MB (default 128)")
    parser.add_argument("--partitions", type=int, default=0, help="records: host partitions (default: parallelism)")
    parser.add_argument("rest", nargs=argparse.REMAINDER,
                        help="-- MAILSCRUB-OPTIONS -- FILES: options passed to every mailscrub, then the logs")
    args = parser.parse_args(argv)
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    if "--" in rest:
        options, files = rest[:rest.index("--")], rest[rest.index("--") + 1:]
    else:
        options, files = [], rest
    if not files:
        parser.error("no log files given")
    if any(option in ("--output", "--manifest", "--emit") for option in options):
        parser.error("--emit and --output are the job's own options; --manifest is per process and not supported")
    os.makedirs(args.output)
    files = [os.path.abspath(f) for f in files]

    from pyspark import SparkContext, SparkFiles

    sc = SparkContext.getOrCreate()
    sc.addFile(os.path.abspath(args.binary))
    binary_name = os.path.basename(args.binary)
    output = os.path.abspath(args.output)
    mailscrub_arguments = ["--emit", args.emit, "--jobs", "1", "--no-progress", *options]

    def shipped_binary():
        path = SparkFiles.get(binary_name)
        os.chmod(path, 0o755)
        return path

    units = splits(files, max(1, int(args.split_mb * 1_000_000)))
    try:
        if args.emit in ("lines", "events"):
            def scrub_unit(unit):
                index, path, start, end = unit
                # A whole file is given by name (mailscrub reads it, archive or not, and
                # its modification time as a single run does); a split through a pipe.
                whole = end is None
                out, lines, postfix = run_mailscrub(
                    shipped_binary(), mailscrub_arguments, None if whole else read_unit(path, start, end),
                    path if whole else f"{path} bytes {start}-{end}", path if whole else None)
                write_part(output, index, out)
                return lines, postfix

            counts = sc.parallelize(units, len(units)).map(scrub_unit).collect()
        else:
            partitions = args.partitions or sc.defaultParallelism

            def keyed_lines(unit):
                index, path, start, end = unit
                for number, line in enumerate(unit_lines(path, start, end)):
                    yield (syslog_host(line), index, number), line

            def scrub_partition(partition, pairs):
                data = b"".join(line for _, line in pairs)
                out, lines, postfix = run_mailscrub(shipped_binary(), mailscrub_arguments, data, f"host partition {partition}")
                write_part(output, partition, out)
                yield lines, postfix

            counts = (
                sc.parallelize(units, len(units))
                .flatMap(keyed_lines)
                .repartitionAndSortWithinPartitions(
                    partitions,
                    partitionFunc=lambda key: zlib.crc32(key[0]),
                    keyfunc=lambda key: (key[1], key[2]))
                .mapPartitionsWithIndex(scrub_partition)
                .collect()
            )
    except Exception as error:
        # Spark wraps the task's exception; its message names the mailscrub failure.
        text = str(error)
        match = re.search(r"RuntimeError: (mailscrub failed[^\n]*)", text)
        print(f"mailscrub_spark: {match.group(1) if match else text.splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        sc.stop()
    lines = sum(c[0] for c in counts)
    postfix = sum(c[1] for c in counts)
    if lines > 0 and postfix == 0:
        print(f"mailscrub_spark: 0 of {lines} lines read are Postfix lines", file=sys.stderr)
        return 65
    open(os.path.join(output, "_SUCCESS"), "w").close()
    print(f"mailscrub_spark: {len(units)} input units, {lines} lines ({postfix} Postfix), {args.emit} in {output}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
