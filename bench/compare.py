#!/usr/bin/env python3
"""protodex side by side with Recoll and Xapian's omindex + quest.

    python3 bench/compare.py --build BUILD [--sizes 2000,20000,100000]
            [--work DIR] [--out BENCHMARKS.md] [--repeat 7] [--no-peers]
            [--keep] [--fresh]

For each size N: one generated tree (protodex-corpus, seed 1, txt, docx,
odt and html, most of them packed into upload archives), indexed from
scratch by each tool under /usr/bin/time; index size after compaction;
query latency of fresh processes over the fixed list
bench/compare-queries.tsv; an incremental re-index after 1% of the tree
changed.  Writes --out (Markdown) and the raw numbers beside it (.json).
A measurement, not a test: nothing is asserted about the timings.

Exit status: 0 it ran, 1 a tool failed (named on stderr, with the tail
of its stderr; the report is still written), 2 usage error.
bench/README.md, "Side by side with Recoll and omindex", says more.
Python 3 standard library only.
"""

import argparse
import collections
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
QUERIES = os.path.join(HERE, "compare-queries.tsv")

TIME = "/usr/bin/time"
TIME_FMT = "%e %U %S %M"          # wall s, user s, sys s, peak RSS KB
PEER_TOOLS = ["recollindex", "recollq", "omindex", "quest", "xapian-compact",
              "xapian-delve"]
PEER_PACKAGES = ["recollcmd", "python3-recoll", "python3-py7zr", "xapian-omega",
                 "xapian-tools", "unzip", "poppler-utils", "antiword", "catdoc"]
VERSION_PACKAGES = ["recollcmd", "python3-recoll", "xapian-omega", "xapian-tools",
                    "libxapian30"]
SEED = 1
FORMATS = "txt,docx,odt,html"
NEW_SEED = 99
NEW_FORMATS = "txt,docx"
NEW_DIR = "new-upload"
STANDARD_SIZES = [2000, 20000, 100000]
TOOLS = ["protodex", "quest", "recollq"]
PROBE = "образования"             # a word of (nearly) every generated protocol
GIB_KB = 1024 * 1024


def has_py7zr():
    """Recoll's 7z filter runs under Debian's python3 and needs py7zr."""
    return subprocess.run(["/usr/bin/python3", "-c", "import py7zr"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def progress(msg, end="\n"):
    sys.stderr.write(msg + end)
    sys.stderr.flush()


def die(msg, status=2):
    progress("compare.py: " + msg)
    sys.exit(status)


def dir_bytes(path):
    """Bytes of the regular files under path (not following links)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                st = os.lstat(os.path.join(root, f))
            except OSError:
                continue
            if not os.path.islink(os.path.join(root, f)):
                total += st.st_size
    return total


def tree_files(tree, skip=None):
    out = []
    for root, dirs, files in os.walk(tree):
        if skip and os.path.abspath(root) == os.path.abspath(tree) and skip in dirs:
            dirs.remove(skip)
        dirs.sort()
        for f in sorted(files):
            out.append(os.path.join(root, f))
    return out


def rmtree(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def pct(samples, p):
    """Nearest-rank percentile of a list of numbers."""
    s = sorted(samples)
    if not s:
        return None
    k = max(1, int(math.ceil(p / 100.0 * len(s))))
    return s[k - 1]


def p50(samples):
    return statistics.median(samples) if samples else None


def tail(path, lines=15):
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.rstrip("\n").split("\n")[-lines:])


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def cmdline(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


# ---------------------------------------------------------------- formatting

def f_s(x):
    if x is None:
        return "—"
    return "%.2f" % x if x < 10 else "%.1f" % x


def f_ms(x):
    return "—" if x is None else "%.1f" % x


def f_mb(nbytes):
    return "—" if nbytes is None else "%.1f" % (nbytes / 1048576.0)


def f_ratio(x):
    return "—" if x is None else "%.2f" % x


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def md_cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def md_code(s):
    s = str(s)
    fence = "``" if "`" in s else "`"
    return fence + (" " + s + " " if fence == "``" else s) + fence


# ---------------------------------------------------------------- the bench

class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.protodex = os.path.join(self.build, "protodex")
        self.generator = os.path.join(self.build, "corpus", "protodex-corpus")
        self.work = os.path.abspath(args.work or os.path.join(self.build, "bench-compare"))
        self.logs = os.path.join(self.work, "logs")
        self.out = os.path.abspath(args.out)
        self.json_out = (self.out[:-3] if self.out.endswith(".md") else self.out) + ".json"
        self.peers = not args.no_peers
        self.failures = []
        self.sizes = {}
        self.loose = {}         # the loose-file trees' results, by size
        self.variant = ""       # "loose-" while a loose-file tree is measured
        self.env = dict(os.environ)
        for v in ("PROTODEX_DB", "RECOLL_CONFDIR", "LANGUAGE"):
            self.env.pop(v, None)
        self.env["LC_ALL"] = "C.UTF-8"
        self.env["NO_COLOR"] = "1"
        self.queries = self.load_queries()

    # ------------------------------------------------------------ helpers

    def load_queries(self):
        rows = []
        try:
            f = open(QUERIES, encoding="utf-8")
        except OSError as e:
            die("cannot read %s: %s" % (QUERIES, e))
        with f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if cols == ["category", "protodex", "peer"]:
                    continue
                if len(cols) != 3:
                    die("%s:%d: expected 3 tab-separated columns" % (QUERIES, n))
                try:
                    argv = shlex.split(cols[1])
                except ValueError as e:
                    die("%s:%d: %s" % (QUERIES, n, e))
                peer = cols[2].strip()
                rows.append({"category": cols[0].strip(), "protodex": cols[1],
                             "argv": argv, "peer": None if peer == "-" else peer})
        if not rows:
            die("%s holds no query" % QUERIES)
        return rows

    def key(self, n):
        """The name of size n's tree, databases and logs in WORK: "20000", or
        "loose-20000" for the tree of loose files."""
        return "%s%d" % (self.variant, n)

    def in_work(self, name, n, suffix=""):
        """WORK/NAME-KEY[SUFFIX]: size n's tree, database or peer folder."""
        return os.path.join(self.work, "%s-%s%s" % (name, self.key(n), suffix))

    def fail(self, size, label, detail):
        self.failures.append({"size": self.key(size) if self.variant else size,
                              "step": label, "detail": detail})
        progress("compare.py: [%s] %s failed\n%s" % (self.key(size), label, detail))

    def run(self, cmd, **kw):
        """An untimed helper command: (returncode, stdout, stderr)."""
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=self.env, **kw)
        except OSError as e:
            return 127, "", str(e)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def timed(self, size, label, cmd, log, ok=(0,), record=None):
        """Run cmd under /usr/bin/time; stdout and stderr to WORK/logs."""
        base = os.path.join(self.logs, "%s-%s" % (self.key(size), log))
        tfile, ofile, efile = base + ".time", base + ".out", base + ".err"
        for p in (tfile, ofile, efile):
            rmtree(p)
        if record is not None:
            record.append(cmdline(cmd))
        progress("[%s] %s … " % (self.key(size), label), end="")
        t0 = time.perf_counter()
        with open(ofile, "wb") as fo, open(efile, "wb") as fe:
            try:
                p = subprocess.run([TIME, "-f", TIME_FMT, "-o", tfile, "--"] + cmd,
                                   stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                                   env=self.env)
                rc = p.returncode
            except OSError as e:
                fe.write(str(e).encode())
                rc = 127
        elapsed = time.perf_counter() - t0
        r = {"cmd": cmdline(cmd), "rc": rc, "stdout": ofile, "stderr": efile,
             "wall": None, "user": None, "sys": None, "cpu": None, "rss_kb": None}
        last = (read_text(tfile) or "").strip().split("\n")[-1].split()
        if len(last) == 4:
            try:
                r["wall"], r["user"], r["sys"] = (float(last[0]), float(last[1]),
                                                  float(last[2]))
                r["rss_kb"] = int(last[3])
                r["cpu"] = r["user"] + r["sys"]
            except ValueError:
                pass
        if r["wall"] is None:
            r["wall"] = elapsed
        r["ok"] = rc in ok
        if r["ok"]:
            progress("done in %.1f s" % r["wall"])
        else:
            progress("FAILED (exit status %d after %.1f s)" % (rc, r["wall"]))
            self.fail(size, label, "command: %s\nexit status %d; stderr (%s) ends:\n%s"
                      % (r["cmd"], rc, efile, tail(efile) or "(empty)"))
        return r

    # ------------------------------------------------------------ peers

    def check_tools(self):
        if not os.access(self.protodex, os.X_OK):
            die("no protodex binary at %s (--build is the build directory)" % self.protodex)
        if not os.access(self.generator, os.X_OK):
            die("no corpus generator at %s" % self.generator)
        need = [] if os.access(TIME, os.X_OK) else ["time"]
        missing = [t for t in PEER_TOOLS if shutil.which(t) is None] if self.peers else []
        if self.peers and not has_py7zr():
            missing.append("py7zr (for Recoll's 7z filter)")
        if not missing and not need:
            return
        if os.geteuid() != 0:
            what = missing + ([TIME] if need else [])
            die("missing %s; install as root: apt-get install --no-install-recommends %s"
                "%s" % (", ".join(what), " ".join((PEER_PACKAGES if missing else []) + need),
                        "" if not missing else " (or run with --no-peers)"))
        pkgs = (PEER_PACKAGES if missing else []) + need
        progress("compare.py: missing %s; apt-get install %s"
                 % (", ".join(missing + need), " ".join(pkgs)))
        env = dict(self.env, DEBIAN_FRONTEND="noninteractive")
        cmd = ["apt-get", "install", "-y", "--no-install-recommends"] + pkgs
        if subprocess.run(cmd, env=env).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env)
            if subprocess.run(cmd, env=env).returncode != 0:
                die("apt-get install failed", 1)
        still = [t for t in PEER_TOOLS if shutil.which(t) is None] if self.peers else []
        if self.peers and not has_py7zr():
            still.append("py7zr")
        if still or not os.access(TIME, os.X_OK):
            die("still missing after apt-get: %s" % ", ".join(still or [TIME]), 1)

    def delve_docs(self, db):
        rc, out, _ = self.run(["xapian-delve", db])
        m = re.search(r"number of documents = (\d+)", out)
        return int(m.group(1)) if rc == 0 and m else None

    # ------------------------------------------------------------ corpus

    def corpus(self, n, res):
        tree = self.in_work("tree", n)
        truth = self.in_work("truth", n, ".jsonl")
        stamp = self.in_work("tree", n, ".stamp.json")
        rmtree(os.path.join(tree, NEW_DIR))        # left by an interrupted run
        uploads = not self.variant
        params = {"count": n, "seed": SEED, "formats": FORMATS, "uploads": uploads}
        gen = {"params": params}
        old = None
        if not self.args.fresh and os.path.isdir(tree) and os.path.exists(truth):
            try:
                with open(stamp, encoding="utf-8") as f:
                    old = json.load(f)
            except (OSError, ValueError):
                old = None
        files = None
        if old and old.get("params") == params:
            files = len(tree_files(tree))
        cmd = [self.generator, "generate", "--out", tree, "--count", str(n), "--seed",
               str(SEED), "--formats", FORMATS] + (["--uploads"] if uploads else [])
        reuse = files is not None and files == old.get("files")
        for c in (cmdline(cmd), cmdline(["mv", os.path.join(tree, "truth.jsonl"), truth])):
            res["commands"].append(("# tree reused, written earlier by: " if reuse else "") + c)
        if reuse:
            gen.update(old.get("generation", {}))
            gen["reused"] = True
            gen["files"] = files
            progress("[%s] reusing %s (%d files, generated in %s s)"
                     % (self.key(n), tree, files, f_s(gen.get("wall"))))
        else:
            rmtree(tree)
            rmtree(truth)
            r = self.timed(n, "protodex-corpus generate", cmd, "generate")
            if not r["ok"]:
                return None
            try:
                os.replace(os.path.join(tree, "truth.jsonl"), truth)
            except OSError as e:
                self.fail(n, "protodex-corpus generate", "no truth.jsonl: %s" % e)
                return None
            files = len(tree_files(tree))
            gen.update({"reused": False, "files": files})
            gen.update({k: r[k] for k in ("wall", "user", "sys", "cpu", "rss_kb")})
            with open(stamp, "w", encoding="utf-8") as f:
                json.dump({"params": params, "files": files,
                           "generation": {k: r[k] for k in
                                          ("wall", "user", "sys", "cpu", "rss_kb")},
                           "generated_at": datetime.datetime.now().isoformat(
                               timespec="seconds")}, f)
        with open(truth, encoding="utf-8") as f:
            gen["protocols"] = sum(1 for line in f if line.strip())
        gen["tree_bytes"] = dir_bytes(tree)
        exts = collections.Counter()
        for p in tree_files(tree):
            name = os.path.basename(p).lower()
            exts["tar.gz" if name.endswith(".tar.gz") else name.rsplit(".", 1)[-1]] += 1
        gen["extensions"] = dict(exts.most_common())
        res["corpus"] = gen
        # Every tool starts with the tree in the page cache.
        for p in tree_files(tree):
            with open(p, "rb") as f:
                while f.read(1 << 20):
                    pass
        return tree

    # ------------------------------------------------------------ indexing

    def index_protodex(self, n, tree, res):
        db = self.in_work("db-protodex", n)
        rmtree(db)
        c = res["commands"]
        out = {"db": db}
        res["index"]["protodex"] = out
        ix = self.timed(n, "protodex index", [self.protodex, "index", "--db", db, tree],
                        "protodex-index", ok=(0, 5), record=c)
        out["index"] = ix
        if not ix["ok"]:
            return None
        cp = self.timed(n, "protodex compact", [self.protodex, "compact", "--db", db],
                        "protodex-compact", record=c)
        out["compact"] = cp
        out["summary"] = tail(ix["stderr"], 1)
        c.append(cmdline([self.protodex, "stats", "--db", db, "--format", "json"]))
        rc, so, se = self.run([self.protodex, "stats", "--db", db, "--format", "json"])
        stats = None
        try:
            stats = json.loads(so) if rc == 0 else None
        except ValueError:
            pass
        if stats is None:
            self.fail(n, "protodex stats", "exit status %d\n%s" % (rc, se.strip()[-2000:]))
            stats = {}
        out["protocols"] = stats.get("protocols")
        out["decisions"] = stats.get("decisions")
        out["docs"] = stats.get("protocols")
        out["text_bytes"] = stats.get("text_bytes")
        c.append(cmdline([self.protodex, "stats", "--db", db, "--errors", "--format", "json"]))
        rc, so, _ = self.run([self.protodex, "stats", "--db", db, "--errors",
                              "--format", "json"])
        try:
            e = json.loads(so)
            out["skipped"] = len(e.get("skipped", [])) + int(e.get("more", 0))
            out["skipped_list"] = e.get("skipped", [])[:20]
        except ValueError:
            out["skipped"] = None
        out["index_bytes"] = dir_bytes(db)
        return db

    def index_recoll(self, n, tree, res):
        cdir = self.in_work("recoll", n)
        compact = self.in_work("recoll", n, "-xapiandb-compact")
        rmtree(cdir)
        rmtree(compact)
        os.makedirs(cdir)
        conf = ("topdirs = %s\nindexstemminglanguages = russian\nnoaspell = 1\n"
                "loglevel = 2\n" % tree)
        with open(os.path.join(cdir, "recoll.conf"), "w", encoding="utf-8") as f:
            f.write(conf)
        c = res["commands"]
        c.append("cat > %s <<'EOF'\n%sEOF" % (shlex.quote(os.path.join(cdir, "recoll.conf")),
                                             conf))
        out = {"confdir": cdir, "conf": conf}
        res["index"]["recoll"] = out
        diags = os.path.join(cdir, "diags.txt")
        ix = self.timed(n, "recollindex", ["recollindex", "-c", cdir, "--diagsfile", diags],
                        "recollindex", record=c)
        out["index"] = ix
        if not ix["ok"]:
            return None
        xdb = os.path.join(cdir, "xapiandb")
        self.compact_copy(n, "xapian-compact (Recoll's xapiandb, a copy)", xdb, compact,
                          "recoll-compact", out, c)
        out["docs"] = self.delve_docs(xdb)
        status = {}
        for line in (read_text(os.path.join(cdir, "idxstatus.txt")) or "").splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                status[k.strip()] = v.strip()
        out["idxstatus"] = status
        out["skipped"] = int(status["fileerrors"]) if status.get("fileerrors", "").isdigit() \
            else None
        if out["docs"] is None and status.get("dbtotdocs", "").isdigit():
            out["docs"] = int(status["dbtotdocs"])
        kinds = collections.Counter()
        for line in (read_text(diags) or "").splitlines():
            if not line.strip():
                continue
            kind, _, rest = line.partition(" ")
            path, _, mime = rest.partition(" | ")
            name = os.path.basename(path.strip()).lower()
            ext = "tar.gz" if name.endswith(".tar.gz") else name.rsplit(".", 1)[-1]
            kinds["%s %s (in .%s)" % (kind, mime.strip() or "-", ext)] += 1
        out["diags"] = dict(kinds.most_common())
        missing = read_text(os.path.join(cdir, "missing"))
        out["missing_helpers"] = [l.strip() for l in (missing or "").splitlines() if l.strip()]
        return cdir

    def compact_copy(self, n, label, db, compact, log, out, commands):
        """A peer's database compacted into a copy, timed: its size (and the
        size as the indexer left it) go into out; the copy is kept only
        with --keep."""
        cp = self.timed(n, label, ["xapian-compact", db, compact], log, record=commands)
        out["compact"] = cp
        out["index_bytes"] = dir_bytes(compact) if cp["ok"] else None
        out["index_bytes_uncompacted"] = dir_bytes(db)
        if not self.args.keep:
            rmtree(compact)

    def index_omindex(self, n, tree, res):
        db = self.in_work("db-omindex", n)
        compact = db + "-compact"
        rmtree(db)
        rmtree(compact)
        c = res["commands"]
        out = {"db": db}
        res["index"]["omindex"] = out
        cmd = ["omindex", "--db", db, "--url", "/", "--stemmer=russian", tree]
        out["cmd"] = cmd
        ix = self.timed(n, "omindex", cmd, "omindex", record=c)
        out["index"] = ix
        if not ix["ok"]:
            return None
        self.compact_copy(n, "xapian-compact (omindex's database)", db, compact,
                          "omindex-compact", out, c)
        out["docs"] = self.delve_docs(db)
        reasons = collections.Counter()
        skipped = 0
        for line in (read_text(ix["stdout"]) or "").splitlines():
            if ": " not in line:
                continue
            reason = line.split(": ", 1)[1].strip()
            reasons[reason] += 1
            if re.search(r"skip|fail", reason, re.I):
                skipped += 1
        out["skipped"] = skipped
        out["diags"] = dict(reasons.most_common())
        return db

    def probe(self, n, dbs, res):
        """How many protocols each tool finds by the word every protocol has."""
        cmds = {}
        if dbs.get("protodex"):
            cmds["protodex"] = [self.protodex, "search", "--db", dbs["protodex"], "--count",
                                "тип:протокол", PROBE]
        if dbs.get("recoll"):
            cmds["recoll"] = ["recollq", "-c", dbs["recoll"], "-E", "-Q", PROBE]
        if dbs.get("omindex"):
            cmds["omindex"] = ["quest", "-d", dbs["omindex"], "-s", "russian", "-m", "0",
                               "-c", "1000000000", PROBE]
        for tool, cmd in cmds.items():
            res["commands"].append(cmdline(cmd))
            rc, so, se = self.run(cmd)
            if tool == "protodex":
                m = re.match(r"\s*(\d+)\s*$", so) if rc in (0, 1) else None
            elif tool == "recoll":
                m = re.search(r"^(\d+) results", so, re.M) if rc == 0 else None
            else:
                m = re.search(r"^Exactly (\d+) matches", so, re.M) if rc == 0 else None
            res["index"][tool]["found"] = int(m.group(1)) if m else None
            if not m:
                self.fail(n, "%s probe" % tool, "command: %s\nexit status %d; stderr ends:\n%s"
                          % (cmdline(cmd), rc, se.strip()[-2000:]))

    # ------------------------------------------------------------ queries

    def query_cmds(self, row, dbs):
        cmds = {}
        if dbs.get("protodex"):
            cmds["protodex"] = [self.protodex, "search", "--db", dbs["protodex"]] + row["argv"]
        if row["peer"] is not None:
            if dbs.get("omindex"):
                cmds["quest"] = ["quest", "-d", dbs["omindex"], "-s", "russian", "-o", "and",
                                 row["peer"]]
            if dbs.get("recoll"):
                cmds["recollq"] = ["recollq", "-c", dbs["recoll"], "-n", "0-10", row["peer"]]
        return cmds

    def matches(self, tool, row, db, rc, stdout):
        if tool == "protodex":
            if "--by" in row["argv"]:
                m = re.match(r"\s*(\d+) records? match", stdout)
                return int(m.group(1)) if m else None
            if "--count" in row["argv"]:
                return int(stdout.strip()) if stdout.strip().isdigit() else None
            rc2, so, _ = self.run([self.protodex, "search", "--db", db, "--count"]
                                  + row["argv"])
            return int(so.strip()) if rc2 in (0, 1) and so.strip().isdigit() else None
        if tool == "quest":
            m = re.search(r"^(Exactly|About|Between) (\d+)", stdout, re.M)
            if not m:
                return None
            return int(m.group(2)) if m.group(1) == "Exactly" else "~%s" % m.group(2)
        m = re.search(r"^(\d+) results", stdout, re.M)
        return int(m.group(1)) if m else None

    @staticmethod
    def query_ok(tool):
        return (0, 1) if tool == "protodex" else (0,)   # protodex: 1 = nothing matched

    def query_failed(self, n, tool, row, cmd, rc, stderr):
        if isinstance(stderr, bytes):
            stderr = stderr.decode("utf-8", "replace")
        self.fail(n, "%s query %s" % (tool, row["protodex"] if tool == "protodex"
                                      else row["peer"]),
                  "command: %s\nexit status %d; stderr ends:\n%s"
                  % (cmdline(cmd), rc, "\n".join(stderr.strip().split("\n")[-10:])))

    def run_queries(self, n, dbs, res):
        rows = []
        repeat = self.args.repeat
        tools = [t for t in TOOLS if any(t in self.query_cmds(r, dbs) for r in self.queries)]
        progress("[%s] queries: %d, %s, %d runs each after a warm-up … "
                 % (self.key(n), len(self.queries), ", ".join(tools), repeat), end="")
        t0 = time.perf_counter()
        for row in self.queries:
            cmds = self.query_cmds(row, dbs)
            q = {"category": row["category"], "protodex": row["protodex"],
                 "peer": row["peer"], "tools": {}}
            live = {}
            for tool, cmd in cmds.items():
                rc, so, se = self.run(cmd)
                ok = rc in self.query_ok(tool)
                q["tools"][tool] = {"cmd": cmdline(cmd), "rc": rc, "samples_ms": [],
                                    "matches": self.matches(tool, row, dbs.get("protodex"),
                                                            rc, so) if ok else None}
                if ok:
                    live[tool] = cmd
                else:
                    self.query_failed(n, tool, row, cmd, rc, se)
            for _ in range(repeat):
                for tool, cmd in list(live.items()):
                    t = time.perf_counter()
                    try:
                        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           env=self.env)
                        rc, se = p.returncode, p.stderr
                    except OSError as e:
                        rc, se = 127, str(e)
                    dt = (time.perf_counter() - t) * 1000.0
                    if rc not in self.query_ok(tool):
                        # e.g. the binary or its database replaced under the run
                        q["tools"][tool]["rc"] = rc
                        self.query_failed(n, tool, row, cmd, rc, se)
                        del live[tool]
                        continue
                    q["tools"][tool]["samples_ms"].append(dt)
            for tool, d in q["tools"].items():
                d["p50"], d["p95"] = p50(d["samples_ms"]), pct(d["samples_ms"], 95)
            rows.append(q)
        progress("done in %.1f s" % (time.perf_counter() - t0))
        res["queries"] = rows
        res["query_summary"] = self.summarize_queries(rows)

    def summarize_queries(self, rows):
        groups = collections.OrderedDict()
        for q in rows:
            groups.setdefault(q["category"], []).append(q)
        summary = collections.OrderedDict()

        def pool(qs, tool):
            s = []
            for q in qs:
                if tool in q["tools"]:
                    s.extend(q["tools"][tool]["samples_ms"])
            return {"queries": sum(1 for q in qs if tool in q["tools"]),
                    "p50": p50(s), "p95": pct(s, 95)} if s else None

        for cat, qs in groups.items():
            summary[cat] = {t: pool(qs, t) for t in TOOLS}
        same = [q for q in rows if q["peer"] is not None]
        summary["same words"] = {t: pool(same, t) for t in TOOLS}
        summary["all"] = {t: pool(rows, t) for t in TOOLS}
        return summary

    # ------------------------------------------------------------ incremental

    def incremental(self, n, tree, dbs, res):
        k = max(1, n // 100)
        new = os.path.join(tree, NEW_DIR)
        rmtree(new)
        c = res["incremental_commands"]
        inc = {"new_protocols": k, "touched": 0, "tools": {}}
        res["incremental"] = inc
        try:
            r = self.timed(n, "protodex-corpus generate (1%% new: %d)" % k,
                           [self.generator, "generate", "--out", new, "--count", str(k),
                            "--seed", str(NEW_SEED), "--formats", NEW_FORMATS],
                           "generate-new", record=c)
            if not r["ok"]:
                return
            rmtree(os.path.join(new, "truth.jsonl"))
            c.append(cmdline(["rm", os.path.join(new, "truth.jsonl")]))
            files = tree_files(tree, skip=NEW_DIR)
            touched = [files[i * len(files) // k] for i in range(min(k, len(files)))]
            now = time.time()
            for f in touched:
                os.utime(f, (now, now))
            inc["touched"] = len(touched)
            inc["new_files"] = len(tree_files(new))
            c.append("# touch %d files, evenly spaced in the sorted list of the tree's files "
                     "(bytes unchanged)" % len(touched))
            if dbs.get("protodex"):
                r = self.timed(n, "protodex index (re-index)",
                               [self.protodex, "index", "--db", dbs["protodex"]],
                               "protodex-reindex", ok=(0, 5), record=c)
                r["summary"] = tail(r["stderr"], 1)
                inc["tools"]["protodex"] = r
            if dbs.get("recoll"):
                inc["tools"]["recoll"] = self.timed(
                    n, "recollindex (re-index)",
                    ["recollindex", "-c", dbs["recoll"], "--diagsfile",
                     os.path.join(dbs["recoll"], "diags-reindex.txt")],
                    "recollindex-reindex", record=c)
            if dbs.get("omindex"):
                inc["tools"]["omindex"] = self.timed(
                    n, "omindex (re-index)", res["index"]["omindex"]["cmd"],
                    "omindex-reindex", record=c)
        finally:
            rmtree(new)
            c.append(cmdline(["rm", "-rf", new]))

    # ------------------------------------------------------------ one size

    def one_size(self, n):
        res = {"size": n, "commands": [], "incremental_commands": [], "index": {}}
        (self.loose if self.variant else self.sizes)[n] = res
        tree = self.corpus(n, res)
        if tree is None:
            return
        res["tree"] = tree
        dbs = {"protodex": self.index_protodex(n, tree, res)}
        if self.peers:
            dbs["recoll"] = self.index_recoll(n, tree, res)
            dbs["omindex"] = self.index_omindex(n, tree, res)
        if any(dbs.values()):
            self.probe(n, dbs, res)
            self.run_queries(n, dbs, res)
            self.incremental(n, tree, dbs, res)
        if not self.args.keep:
            for name in ("db-protodex", "recoll", "db-omindex"):
                rmtree(self.in_work(name, n))

    # ------------------------------------------------------------ machine

    def machine(self):
        m = {}
        cpu = read_text("/proc/cpuinfo") or ""
        models = re.findall(r"^model name\s*:\s*(.*)$", cpu, re.M)
        m["cpu"] = models[0].strip() if models else platform.processor() or "unknown"
        m["cpus"] = len(re.findall(r"^processor\s*:", cpu, re.M)) or os.cpu_count()
        mem = re.search(r"^MemTotal:\s*(\d+) kB", read_text("/proc/meminfo") or "", re.M)
        m["ram_kb"] = int(mem.group(1)) if mem else None
        m["kernel"] = platform.release()
        m["debian"] = (read_text("/etc/debian_version") or "").strip() or None
        m["python"] = platform.python_version()
        return m

    def versions(self):
        v = {}
        src = REPO
        mk = read_text(os.path.join(self.build, "Makefile")) or ""
        m = re.search(r"^abs_top_srcdir = (.*)$", mk, re.M)
        if m and os.path.isdir(m.group(1).strip()):
            src = m.group(1).strip()
        rc, so, _ = self.run(["git", "-C", src, "rev-parse", "--short", "HEAD"])
        commit = so.strip() if rc == 0 else "unknown"
        rc, so, _ = self.run(["git", "-C", src, "status", "--porcelain",
                              "--untracked-files=no"])
        if rc == 0 and so.strip():
            commit += " (with uncommitted changes)"
        rc, so, _ = self.run([self.protodex, "--version"])
        rc2, conf, _ = self.run([os.path.join(self.build, "config.status"), "--config"])
        conf = conf.strip() if rc2 == 0 else ""
        v["protodex"] = "%s, commit %s of %s, build %s (configure %s)" % (
            so.strip() or "protodex", commit, src, self.build, conf or "with no options")
        v["protodex_configure"] = conf
        v["protodex_commit"] = commit
        if self.peers:
            for pkg in VERSION_PACKAGES:
                rc, so, _ = self.run(["dpkg-query", "-W", "-f", "${Version}", pkg])
                v[pkg] = so.strip() if rc == 0 and so.strip() else "not installed"
        return v

    # ------------------------------------------------------------ report

    def wall_total(self, r):
        ix = r["index"].get("protodex") or {}
        a, b = ix.get("index"), ix.get("compact")
        if not a or not a["ok"] or not b or not b["ok"]:
            return None
        return a["wall"] + b["wall"]

    def peer_wall(self, r, tool):
        x = (r["index"].get(tool) or {}).get("index")
        return x["wall"] if x and x["ok"] else None

    def targets(self):
        """[(target, status, detail)], status: met, not met, not run, n/a, not measured."""
        out = []
        run = self.sizes

        def fmt(n):
            return "{:,}".format(n)

        def combine(parts):
            st = [x[0] for x in parts]
            if not parts:
                return "not run", ""
            status = "not met" if "not met" in st else "met" if "met" in st else st[0]
            return status, "; ".join("%s: %s" % (fmt(n), d) for _s, n, d in parts)

        for peer, name, need in (("recoll", "Recoll (`recollindex`)", 2.0),
                                 ("omindex", "omindex", 5.0)):
            label = "protodex ≥%d× faster than %s on the 20,000 tree (protodex index + " \
                    "compact against the peer's indexing run)" % (need, name)
            if 20000 not in run:
                out.append((label, "not run", "20,000 not in --sizes"))
                continue
            if not self.peers:
                out.append((label, "not measured", "--no-peers"))
                continue
            r = run[20000]
            p, q = self.wall_total(r), self.peer_wall(r, peer)
            if p is None or q is None:
                out.append((label, "not measured", "a run failed"))
                continue
            x = q / p
            out.append((label, "met" if x >= need else "not met",
                        "protodex %s s, %s %s s: %.2f×" % (f_s(p), peer, f_s(q), x)))
        label = "query p50 ≤ quest's on the same words (queries with a peer equivalent)"
        if not self.peers:
            out.append((label, "not measured", "--no-peers"))
        else:
            parts = []
            for n, r in run.items():
                s = (r.get("query_summary") or {}).get("same words") or {}
                a, b = s.get("protodex"), s.get("quest")
                if not a or not b:
                    parts.append(("not measured", n, "not measured"))
                    continue
                parts.append(("met" if a["p50"] <= b["p50"] else "not met", n,
                              "protodex %s ms, quest %s ms" % (f_ms(a["p50"]),
                                                                f_ms(b["p50"]))))
            out.append((label,) + combine(parts))
        label = "index ≤ 1.2× the extracted text (compacted protodex database / text_bytes)"
        parts = []
        for n, r in run.items():
            p = r["index"].get("protodex") or {}
            tb, ib = p.get("text_bytes"), p.get("index_bytes")
            if ib is None:
                parts.append(("not measured", n, "not measured"))
            elif not tb:
                parts.append(("n/a", n, "`protodex stats` gives no text_bytes"))
            else:
                x = ib / tb
                parts.append(("met" if x <= 1.2 else "not met", n,
                              "%s MB index / %s MB text = %.2f×" % (f_mb(ib), f_mb(tb), x)))
        out.append((label,) + combine(parts))
        label = "100,000 protocols indexed (index + compact) in under 10 minutes with " \
                "peak RSS under 1 GiB"
        if 100000 not in run:
            out.append((label, "not run", "100,000 not in --sizes"))
        else:
            r = run[100000]
            w = self.wall_total(r)
            ix = r["index"].get("protodex") or {}
            rss = max([x["rss_kb"] for x in (ix.get("index"), ix.get("compact"))
                       if x and x.get("rss_kb") is not None] or [0]) or None
            if w is None or rss is None:
                out.append((label, "not measured", "a run failed"))
            else:
                out.append((label, "met" if w < 600 and rss < GIB_KB else "not met",
                            "%s s (%.1f min), peak RSS %s MB" % (f_s(w), w / 60.0,
                                                                 f_mb(rss * 1024))))
        return out

    def write(self, started, finished, machine, versions, load):
        L = []
        a = self.args
        L.append("# protodex, Recoll and Xapian omindex side by side")
        L.append("")
        L.append("Written by `%s` on %s (run started %s, took %s)." % (
            "python3 bench/compare.py " + " ".join(shlex.quote(x) for x in sys.argv[1:]),
            finished.strftime("%Y-%m-%d %H:%M"), started.strftime("%H:%M:%S"),
            str(datetime.timedelta(seconds=int((finished - started).total_seconds())))))
        L.append("A measurement on one machine, not a test: see bench/README.md, "
                 "«Side by side with Recoll and omindex», for what is measured and how, "
                 "and the raw numbers in `%s`." % os.path.basename(self.json_out))
        L.append("")
        L.append("## Machine")
        L.append("")
        L.append("- CPU: %s, %s logical CPUs" % (machine["cpu"], machine["cpus"]))
        if machine["ram_kb"]:
            L.append("- RAM: %.1f GiB" % (machine["ram_kb"] / 1048576.0))
        L.append("- kernel %s, Debian %s, Python %s" % (machine["kernel"], machine["debian"]
                                                         or "?", machine["python"]))
        L.append("- load average (1 min) at the start %s, at the end %s" % load)
        L.append("")
        L.append("## Versions")
        L.append("")
        L.append("| software | version |")
        L.append("|---|---|")
        L.append("| protodex | %s |" % md_cell(versions["protodex"]))
        for pkg in VERSION_PACKAGES:
            if pkg in versions:
                L.append("| %s (Debian package) | %s |" % (pkg, versions[pkg]))
        L.append("")
        L.append("## Targets")
        L.append("")
        L.append("Computed from the numbers below.")
        L.append("")
        for label, status, detail in self.targets():
            L.append("- %s — **%s**%s" % (label, status, ": " + detail if detail else ""))
        L.append("")
        L.append("## Summary")
        L.append("")
        L.append("| protocols | protodex index + compact s | Recoll s | omindex s | "
                 "query p50 ms, same words: protodex | quest | recollq |")
        L.append("|---|---|---|---|---|---|---|")
        for n in sorted(set(STANDARD_SIZES) | set(self.sizes)):
            if n not in self.sizes:
                L.append("| %s | not run | not run | not run | not run | not run | not run |"
                         % "{:,}".format(n))
                continue
            r = self.sizes[n]
            s = (r.get("query_summary") or {}).get("same words") or {}

            def qp(t):
                return f_ms(s[t]["p50"]) if s.get(t) else "—"
            L.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                "{:,}".format(n), f_s(self.wall_total(r)), f_s(self.peer_wall(r, "recoll")),
                f_s(self.peer_wall(r, "omindex")), qp("protodex"), qp("quest"),
                qp("recollq")))
        L.append("")
        self.write_same_input(L)
        L.append("## Corpora")
        L.append("")
        L.append("`protodex-corpus generate --count N --seed %d --formats %s --uploads`; "
                 "`truth.jsonl` moved out of the tree before indexing.%s"
                 % (SEED, FORMATS, " The loose-file trees are the same command without "
                    "`--uploads`." if self.loose else ""))
        L.append("")
        L.append("| protocols | files in the tree | by extension | tree MB | generation "
                 "wall s | CPU s | peak RSS MB |")
        L.append("|---|---|---|---|---|---|---|")
        for n, r, loose in ([(n, r, False) for n, r in self.sizes.items()]
                            + [(n, r, True) for n, r in self.loose.items()]):
            g = r.get("corpus")
            name = "{:,}".format(g.get("protocols", n) if g else n) + \
                (" (loose files)" if loose else "")
            if not g:
                L.append("| %s | failed | | | | | |" % name)
                continue
            L.append("| %s | %d | %s | %s | %s%s | %s | %s |" % (
                name, g["files"],
                ", ".join("%s %d" % (k, v) for k, v in g["extensions"].items()),
                f_mb(g["tree_bytes"]), f_s(g.get("wall")),
                " (tree reused)" if g.get("reused") else "", f_s(g.get("cpu")),
                f_mb(g["rss_kb"] * 1024) if g.get("rss_kb") else "—"))
        L.append("")
        for n, r in self.sizes.items():
            self.write_size(L, n, r)
        for n, r in self.loose.items():
            self.write_size(L, n, r, "%s protocols as loose files (the same input for every "
                                     "tool)" % "{:,}".format(n))
        if self.failures:
            L.append("## Failures")
            L.append("")
            for f in self.failures:
                L.append("- %s: %s" % ("{:,}".format(f["size"]) if isinstance(f["size"], int)
                                       else f["size"], f["step"]))
                L.append("")
                L.append("  ```")
                for line in f["detail"].split("\n"):
                    L.append("  " + line.replace("```", "` ` `"))
                L.append("  ```")
            L.append("")
        L.append("## Notes")
        L.append("")
        L.append("- Times and peak RSS are GNU time's `%e %U %S %M` (wall, user, system, "
                 "the largest resident set of the process or of any child it waited for); "
                 "CPU s is user + system, children included (Recoll's filters, omindex's "
                 "helpers). MB are 2^20 bytes.")
        L.append("- docs: protodex's protocols (`stats` → `protocols`; each protocol is "
                 "also split into decision records, counted apart); Recoll's and "
                 "omindex's Xapian documents (`xapian-delve`): Recoll counts archives and "
                 "the folders inside them as documents of their own, omindex only the "
                 "files it read. skipped: `protodex stats --errors`, Recoll's "
                 "`idxstatus.txt` fileerrors, omindex's \"Skipping\"/\"failed\" lines.")
        L.append("- Index size is the bytes of the files of the compacted database: "
                 "protodex after `protodex compact`, the peers' databases copied by "
                 "`xapian-compact` (queries and re-indexing use the peers' uncompacted "
                 "databases, as the indexers leave them). index/text divides by "
                 "protodex's `text_bytes` (the UTF-8 text extracted from all protocols) "
                 "for every tool, so a peer that read less of the tree looks smaller.")
        L.append("- wall ratio peer/protodex: the peer's indexing wall time over protodex's "
                 "index + compact; above 1 protodex is faster.")
        L.append("- Queries: a fresh process per run (start-up included, as a script or a "
                 "web handler calling the command would see it), output to /dev/null; one "
                 "warm-up run, then %d runs, the tools taking turns. p50 is the median and "
                 "p95 the nearest-rank 95th percentile of the pooled runs. quest runs with "
                 "`-o and` (its default operator is OR) so that the same words mean the "
                 "same query; matches are protodex's records (protocols and decisions, "
                 "`--count`), quest's and recollq's documents. Times are taken around "
                 "Python's `subprocess.run`, which adds about a millisecond to every "
                 "tool alike." % a.repeat)
        L.append("- The tree is read once before the first index run, so every tool starts "
                 "with it in the page cache. Peers run with LC_ALL=C.UTF-8, as protodex.")
        L.append("")
        with open(self.out, "w", encoding="utf-8") as f:
            f.write("\n".join(L))

    def write_same_input(self, L):
        """The loose-file trees side by side: every tool reads every file, so
        the ratios compare the same work (the uploads tree above is half
        archives, which the peers skip in part or in full)."""
        if not self.loose:
            return
        L.append("### The same input for every tool: loose files")
        L.append("")
        L.append("The tree above packs most protocols into .zip, .tar.gz and .7z uploads: "
                 "omindex reads none of them and Recoll only some (see «protocols found» "
                 "below), so there the peers do less work than protodex. Here the same "
                 "protocols lie as loose .txt, .docx, .odt and .html files, which every tool "
                 "reads. In brackets, the peer's time over protodex's: above 1 protodex is "
                 "faster. index/text is each tool's compacted index over protodex's "
                 "extracted text, as in the tables below.")
        L.append("")
        L.append("| protocols | found: protodex / Recoll / omindex | index + compact s: "
                 "protodex | Recoll | omindex | index/text: protodex | Recoll | omindex | "
                 "query p50 ms, same words: protodex | quest | recollq |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for n, r in self.loose.items():
            ix = r["index"]
            s = (r.get("query_summary") or {}).get("same words") or {}
            tb = (ix.get("protodex") or {}).get("text_bytes")
            pw = self.wall_total(r)

            def found(t):
                v = (ix.get(t) or {}).get("found")
                return "—" if v is None else str(v)

            def wall(t):
                w = self.peer_wall(r, t)
                return "—" if w is None else "%s (%s×)" % (f_s(w), f_ratio(ratio(w, pw)))

            def size(t):
                b = (ix.get(t) or {}).get("index_bytes")
                return "—" if b is None or not tb else "%.2f" % (b / tb)

            def qp(t):
                if not s.get(t):
                    return "—"
                if t == "protodex" or not s.get("protodex"):
                    return f_ms(s[t]["p50"])
                return "%s (%s×)" % (f_ms(s[t]["p50"]),
                                     f_ratio(ratio(s[t]["p50"], s["protodex"]["p50"])))
            L.append("| %s | %s / %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                "{:,}".format(n), found("protodex"), found("recoll"), found("omindex"),
                f_s(pw), wall("recoll"), wall("omindex"), size("protodex"), size("recoll"),
                size("omindex"), qp("protodex"), qp("quest"), qp("recollq")))
        L.append("")

    def write_size(self, L, n, r, title=None):
        L.append("## %s" % (title or "%s protocols" % "{:,}".format(n)))
        L.append("")
        if not r.get("corpus"):
            L.append("The corpus could not be generated; nothing was measured.")
            L.append("")
            return
        ix = r["index"]
        p = ix.get("protodex") or {}
        tb = p.get("text_bytes")
        total = self.wall_total(r)
        L.append("### Indexing")
        L.append("")
        L.append("Extracted text (protodex `stats` → `text_bytes`): %s." % (
            "%s MB (%d bytes)" % (f_mb(tb), tb) if tb else "n/a (this protodex's `stats "
            "--format json` has no `text_bytes`)"))
        L.append("")
        L.append("protocols found: how many of the %s protocols the tool's index finds by "
                 "the word «%s», which the generator puts in (nearly) every protocol "
                 "(«управление образования», «качества образования»): how much of the tree "
                 "it made searchable. protodex: `search --count тип:протокол %s`; Recoll: "
                 "`recollq -E -Q`; omindex: `quest`, exact count." % (
                     "{:,}".format(r["corpus"].get("protocols", n)), PROBE, PROBE))
        L.append("")
        L.append("| tool | docs | skipped | protocols found | wall s | CPU s | peak RSS MB | "
                 "index MB (compacted) | index/text | wall ratio peer/protodex |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")

        def row(name, t, docs="", skipped="", size=None, rat=None, found=""):
            if t is None:
                L.append("| %s | %s | %s | | not run | | | | | |" % (name, docs, skipped))
                return
            if not t["ok"]:
                L.append("| %s | | | | failed (exit status %d) | | | | | |" % (name, t["rc"]))
                return
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name, docs, skipped, found, f_s(t["wall"]), f_s(t["cpu"]),
                f_mb(t["rss_kb"] * 1024) if t.get("rss_kb") is not None else "—",
                f_mb(size) if size is not None else "", f_ratio(ratio(size, tb))
                if size is not None and tb else ("n/a" if size is not None else ""),
                f_ratio(rat) if rat is not None else ""))

        def n_(x):
            return "" if x is None else str(x)
        if p:
            docs = n_(p.get("docs"))
            if p.get("decisions") is not None:
                docs += " (+%d decisions)" % p["decisions"]
            if total is None:       # no index + compact row: its numbers go here
                row("protodex index", p.get("index"), docs, n_(p.get("skipped")),
                    p.get("index_bytes"), None, n_(p.get("found")))
            else:
                row("protodex index", p.get("index"), docs, n_(p.get("skipped")))
            row("protodex compact", p.get("compact"))
            if total is not None:
                a, b = p["index"], p["compact"]
                L.append("| **protodex index + compact** | %s | %s | %s | **%s** | %s | %s | %s "
                         "| %s | 1.00 |" % (
                             docs, n_(p.get("skipped")), n_(p.get("found")), f_s(total),
                             f_s(a["cpu"] + b["cpu"]),
                             f_mb(max(a["rss_kb"] or 0, b["rss_kb"] or 0) * 1024),
                             f_mb(p.get("index_bytes")),
                             f_ratio(ratio(p.get("index_bytes"), tb)) if tb else "n/a"))
        for tool, name, cname in (("recoll", "Recoll `recollindex`", "xapian-compact of "
                                   "Recoll's xapiandb"),
                                  ("omindex", "`omindex`", "xapian-compact of omindex's db")):
            t = ix.get(tool)
            if not t:
                if not self.peers:
                    L.append("| %s | | | | not run (--no-peers) | | | | | |" % name)
                continue
            row("**%s**" % name, t.get("index"), n_(t.get("docs")), n_(t.get("skipped")),
                t.get("index_bytes"), ratio(self.peer_wall(r, tool), total),
                n_(t.get("found")))
            row("(%s)" % cname, t.get("compact"))
        L.append("")
        notes = []
        if p.get("summary"):
            notes.append("protodex: %s" % md_code(re.sub(r"^\S+ \S+ ", "", p["summary"])))
        rc = ix.get("recoll") or {}
        if rc.get("diags") or rc.get("missing_helpers"):
            d = "; ".join("%s × %d" % (k, v) for k, v in rc.get("diags", {}).items())
            notes.append("Recoll's `--diagsfile` (one line per file or archive member it did "
                         "not index, by kind, MIME type and the file's extension; NoHandler "
                         "`application/octet-stream` in .zip are the archives' folder "
                         "entries, not documents): %s." % (d or "empty"))
            if rc.get("missing_helpers"):
                notes.append("Recoll reports missing helpers (WORK/recoll-N/missing): %s."
                             % "; ".join(md_code(x) for x in rc["missing_helpers"]))
        om = ix.get("omindex") or {}
        if om.get("diags"):
            notes.append("omindex said: %s." % "; ".join(
                "%s × %d" % (md_code(k), v) for k, v in om["diags"].items()))
        if notes:
            L.append("What each tool read:")
            L.append("")
            for x in notes:
                L.append("- " + x)
            L.append("")
        if r.get("queries"):
            self.write_queries(L, n, r)
        inc = r.get("incremental")
        if inc:
            L.append("### Incremental re-index")
            L.append("")
            L.append("After the full index (and the queries): %d new protocols (%s, seed %d, "
                     "%d files) in `%s/`, and %d existing files touched (modification time "
                     "only); then each indexer again on its database. The change is undone "
                     "afterwards." % (inc["new_protocols"], NEW_FORMATS, NEW_SEED,
                                      inc.get("new_files", 0), NEW_DIR, inc["touched"]))
            L.append("")
            L.append("| tool | wall s | CPU s | peak RSS MB | % of its full index wall | "
                     "wall ratio peer/protodex |")
            L.append("|---|---|---|---|---|---|")
            pw = inc["tools"].get("protodex", {}).get("wall") \
                if inc["tools"].get("protodex", {}).get("ok") else None
            for tool, name in (("protodex", "protodex index"), ("recoll", "Recoll recollindex"),
                               ("omindex", "omindex")):
                t = inc["tools"].get(tool)
                if not t:
                    continue
                if not t["ok"]:
                    L.append("| %s | failed (exit status %d) | | | | |" % (name, t["rc"]))
                    continue
                full = (ix.get(tool) or {}).get("index")
                share = 100.0 * t["wall"] / full["wall"] if full and full["ok"] and \
                    full["wall"] else None
                L.append("| %s | %s | %s | %s | %s | %s |" % (
                    name, f_s(t["wall"]), f_s(t["cpu"]), f_mb(t["rss_kb"] * 1024)
                    if t.get("rss_kb") is not None else "—",
                    "%.1f%%" % share if share is not None else "—",
                    "1.00" if tool == "protodex" else f_ratio(ratio(t["wall"], pw))))
            L.append("")
            s = inc["tools"].get("protodex", {}).get("summary")
            if s:
                L.append("protodex: %s" % md_code(re.sub(r"^\S+ \S+ ", "", s)))
                L.append("")
        L.append("### Commands")
        L.append("")
        L.append("```sh")
        L.append("# each timed command ran as: %s -f '%s' -o WORK/logs/N-STEP.time -- COMMAND"
                 % (TIME, TIME_FMT))
        for c in r["commands"]:
            L.append(c)
        L.append("# incremental")
        for c in r["incremental_commands"]:
            L.append(c)
        L.append("```")
        L.append("")
        if r.get("queries"):
            L.append("<details><summary>Query commands (%d)</summary>" % sum(
                len(q["tools"]) for q in r["queries"]))
            L.append("")
            L.append("```sh")
            for q in r["queries"]:
                for t in TOOLS:
                    if t in q["tools"]:
                        L.append(q["tools"][t]["cmd"])
            L.append("```")
            L.append("")
            L.append("</details>")
            L.append("")

    def write_queries(self, L, n, r):
        s = r["query_summary"]
        L.append("### Queries")
        L.append("")
        same = s.get("same words", {})
        pp = same.get("protodex")
        head = []
        if pp:
            head.append("protodex %s ms" % f_ms(pp["p50"]))
            for t in ("quest", "recollq"):
                if same.get(t):
                    head.append("%s %s ms (%s× protodex's)" % (
                        t, f_ms(same[t]["p50"]), f_ratio(ratio(same[t]["p50"], pp["p50"]))))
            L.append("p50 over the %d queries with the same words for every tool: %s. "
                     "protodex over all %d queries: p50 %s ms, p95 %s ms."
                     % (pp["queries"], ", ".join(head), s["all"]["protodex"]["queries"],
                        f_ms(s["all"]["protodex"]["p50"]), f_ms(s["all"]["protodex"]["p95"])))
            L.append("")
        L.append("| category | queries | protodex p50 / p95 ms | quest p50 / p95 ms | "
                 "recollq p50 / p95 ms | quest / protodex p50 | recollq / protodex p50 |")
        L.append("|---|---|---|---|---|---|---|")
        for cat, d in s.items():
            def pp_(t):
                return "%s / %s" % (f_ms(d[t]["p50"]), f_ms(d[t]["p95"])) if d.get(t) else "—"
            base = d.get("protodex")
            nq = max((d[t]["queries"] for t in TOOLS if d.get(t)), default=0)
            name = {"same words": "**same words (peer equivalent)**",
                    "all": "**all**"}.get(cat, cat)
            L.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                name, nq, pp_("protodex"), pp_("quest"), pp_("recollq"),
                f_ratio(ratio(d["quest"]["p50"], base["p50"])) if base and d.get("quest")
                else "—",
                f_ratio(ratio(d["recollq"]["p50"], base["p50"])) if base and d.get("recollq")
                else "—"))
        L.append("")
        L.append("| category | protodex query | peer query | protodex p50 / p95 ms | matches "
                 "| quest p50 / p95 ms | matches | recollq p50 / p95 ms | matches |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for q in r["queries"]:
            cells = []
            for t in TOOLS:
                d = q["tools"].get(t)
                if not d:
                    cells += ["—", ""]
                    continue
                m = d["matches"]
                if t == "protodex" and d["rc"] == 1:
                    m = "0 (exit 1)"
                elif d["rc"] not in (0, 1):
                    m = "error (exit %d)" % d["rc"]
                cells += ["%s / %s" % (f_ms(d["p50"]), f_ms(d["p95"])),
                          "" if m is None else str(m)]
            L.append("| %s | %s | %s | %s |" % (
                q["category"], md_code(q["protodex"]),
                md_code(q["peer"]) if q["peer"] is not None else "—", " | ".join(cells)))
        L.append("")

    # ------------------------------------------------------------ main

    def main(self):
        self.check_tools()
        os.makedirs(self.logs, exist_ok=True)
        started = datetime.datetime.now()
        load0 = "%.2f" % os.getloadavg()[0]
        machine, versions = self.machine(), self.versions()
        progress("compare.py: sizes %s, work %s, peers %s"
                 % (",".join(str(s) for s in self.args.sizes), self.work,
                    "Recoll and omindex" if self.peers else "none (--no-peers)"))
        for n in self.args.sizes:
            self.one_size(n)
        self.variant = "loose-"
        for n in self.args.loose_sizes:
            self.one_size(n)
        self.variant = ""
        finished = datetime.datetime.now()
        load = (load0, "%.2f" % os.getloadavg()[0])
        os.makedirs(os.path.dirname(self.out), exist_ok=True)
        self.write(started, finished, machine, versions, load)
        raw = {"started": started.isoformat(timespec="seconds"),
               "finished": finished.isoformat(timespec="seconds"),
               "argv": sys.argv[1:], "machine": machine, "versions": versions,
               "load_average": load, "work": self.work, "repeat": self.args.repeat,
               "peers": self.peers, "queries_file": QUERIES,
               "targets": [{"target": t, "status": s, "detail": d}
                           for t, s, d in self.targets()],
               "sizes": {str(n): r for n, r in self.sizes.items()},
               "loose": {str(n): r for n, r in self.loose.items()},
               "failures": self.failures}
        with open(self.json_out, "w", encoding="utf-8") as f:
            json.dump(raw, f, ensure_ascii=False, indent=1)
            f.write("\n")
        progress("compare.py: wrote %s and %s" % (self.out, self.json_out))
        if self.failures:
            progress("compare.py: %d step(s) failed: %s" % (
                len(self.failures), "; ".join("[%s] %s" % (f["size"], f["step"])
                                              for f in self.failures)))
            return 1
        return 0


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="compare.py",
        description="Index, query and re-index the same generated trees with protodex, "
                    "Recoll and Xapian omindex + quest, and write BENCHMARKS.md.")
    ap.add_argument("--build", required=True,
                    help="the build directory (holding protodex and corpus/protodex-corpus)")
    ap.add_argument("--sizes", default="2000,20000,100000",
                    help="numbers of protocols, by commas (default 2000,20000,100000)")
    ap.add_argument("--work", help="where trees, databases and logs go (default "
                                   "BUILD/bench-compare); trees are kept and reused")
    ap.add_argument("--out", default="BENCHMARKS.md",
                    help="the Markdown report (default ./BENCHMARKS.md); the raw numbers "
                         "go beside it as .json")
    ap.add_argument("--loose-sizes", default="20000",
                    help="numbers of protocols for trees of loose files, no archives, which "
                         "every tool reads in full (default 20000; '' for none)")
    ap.add_argument("--repeat", type=int, default=7,
                    help="timed runs of each query after one warm-up (default 7)")
    ap.add_argument("--no-peers", action="store_true",
                    help="measure protodex alone (no Recoll, no omindex)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the databases (and the peers' compacted copies) in WORK")
    ap.add_argument("--fresh", action="store_true",
                    help="generate the trees again even when WORK holds them")
    a = ap.parse_args(argv)
    try:
        a.sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
    except ValueError:
        ap.error("--sizes: numbers separated by commas, e.g. 2000,20000")
    if not a.sizes or any(x < 1 for x in a.sizes) or len(set(a.sizes)) != len(a.sizes):
        ap.error("--sizes: distinct positive numbers, e.g. 2000,20000")
    try:
        a.loose_sizes = [int(x) for x in a.loose_sizes.split(",") if x.strip()]
    except ValueError:
        ap.error("--loose-sizes: numbers separated by commas, e.g. 20000, or ''")
    if any(x < 1 for x in a.loose_sizes) or len(set(a.loose_sizes)) != len(a.loose_sizes):
        ap.error("--loose-sizes: distinct positive numbers, e.g. 20000, or ''")
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    if not os.path.isdir(a.build):
        ap.error("--build %s: no such directory" % a.build)
    return a


if __name__ == "__main__":
    try:
        sys.exit(Bench(parse_args(sys.argv[1:])).main())
    except KeyboardInterrupt:
        progress("compare.py: interrupted")
        sys.exit(130)
