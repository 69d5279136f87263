/*
 * reader-external: Word 97-2003 .doc and PDF, read by the programs that
 * already do it well, found in $PATH (or reader_set_tool_path) at run
 * time:
 *
 *   .doc  antiword -m UTF-8.txt -w 0 FILE   (one line per paragraph; a
 *                                  table row is "|cell |cell |")
 *         catdoc -w -d utf-8 FILE   if antiword is missing or fails (it
 *                                  reads Word 6/95 files antiword refuses)
 *   PDF   pdftotext -enc UTF-8 -layout FILE -
 *
 * -layout keeps a table row on one line ("Подготовка к ВПР   до
 * 15.03.2023"), which suits line-oriented protocols better than the
 * reading-order mode, which puts every cell on a line of its own.  Its
 * horizontal positioning is undone: leading blanks are dropped and a run
 * of two or more blanks inside a line becomes one tab.
 *
 * Every line of output is a paragraph (blank lines skipped); a form feed
 * is a page break, so it ends a line too.  antiword's table rows become
 * READER_CELLs with their row and column.
 *
 * The bytes are written to a private file (mkstemp, mode 0600) in $TMPDIR,
 * the program is run with fork and execv (no shell), stdin /dev/null; its
 * stdout is read through a pipe up to READER_MAX_TEXT, the end of its
 * stderr kept for the message, and it is killed after READER_TOOL_SECONDS.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "indexer/reader-int.h"

static char *tool_path;
static int tool_path_set;

void
reader_set_tool_path(const char *path)
{
	free(tool_path);
	tool_path = path ? xstrdup(path) : NULL;
	tool_path_set = path != NULL;
}

/* Full path of program `name` in the tool path, malloc'd; NULL if absent. */
static char *
find_tool(const char *name)
{
	const char *path = tool_path_set ? tool_path : getenv("PATH");
	strbuf_t sb = STRBUF_INIT;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		struct stat st;
		strbuf_reset(&sb);
		if (n)
			strbuf_add(&sb, path, n);
		else
			strbuf_addch(&sb, '.');
		strbuf_addch(&sb, '/');
		strbuf_adds(&sb, name);
		if (stat(sb.buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(sb.buf, X_OK) == 0)
			return strbuf_detach(&sb, NULL);
		path += n;
		if (*path == ':')
			path++;
	}
	strbuf_release(&sb);
	return NULL;
}

/* A private copy of buf[0..len) on disk; its name in `path`. */
static int
write_temp(const void *buf, size_t len, strbuf_t *path)
{
	const char *dir = getenv("TMPDIR");
	const char *p = buf;
	int fd;
	if (!dir || !*dir)
		dir = "/tmp";
	strbuf_reset(path);
	strbuf_addf(path, "%s/protodex-XXXXXX", dir);
	fd = mkstemp(path->buf);
	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close(fd);
			unlink(path->buf);
			errno = n < 0 ? e : ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0) {
		int e = errno;
		unlink(path->buf);
		errno = e;
		return -1;
	}
	return 0;
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* The last non-blank line of a program's stderr, printable, in `out`. */
static void
last_line(const strbuf_t *err, char *out, size_t size)
{
	size_t end = err->len, start, o = 0;
	while (end > 0 && (err->buf[end - 1] == '\n' || err->buf[end - 1] == ' ' ||
			   err->buf[end - 1] == '\r'))
		end--;
	start = end;
	while (start > 0 && err->buf[start - 1] != '\n')
		start--;
	for (size_t i = start; i < end && o + 1 < size; i++) {
		unsigned char c = (unsigned char)err->buf[i];
		out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[o] = '\0';
}

typedef struct run {
	strbuf_t out;
	char err[200];      /* the program's complaint, or "" */
	int timed_out, too_large;
	int status;         /* from waitpid, if it ended */
} run_t;

/*
 * Run argv[0] (a full path) with argv, output into r->out.  Returns 0 if
 * the program ran (whatever its exit status), -1 with errno if it could not
 * be started.
 */
static int
run_tool(char *const argv[], run_t *r)
{
	int out_pipe[2], err_pipe[2], devnull;
	struct timespec deadline;
	strbuf_t err = STRBUF_INIT;
	pid_t pid;
	int open_fds = 2;

	r->timed_out = r->too_large = 0;
	r->err[0] = '\0';
	if (pipe(out_pipe) < 0)
		return -1;
	if (pipe(err_pipe) < 0) {
		close(out_pipe[0]);
		close(out_pipe[1]);
		return -1;
	}
	devnull = open("/dev/null", O_RDONLY);
	pid = devnull < 0 ? -1 : fork();
	if (pid == 0) {
		/* Only async-signal-safe calls from here to execv. */
		dup2(devnull, 0);
		dup2(out_pipe[1], 1);
		dup2(err_pipe[1], 2);
		close(devnull);
		close(out_pipe[0]);
		close(out_pipe[1]);
		close(err_pipe[0]);
		close(err_pipe[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	if (devnull >= 0)
		close(devnull);
	close(out_pipe[1]);
	close(err_pipe[1]);
	if (pid < 0) {
		int e = errno;
		close(out_pipe[0]);
		close(err_pipe[0]);
		errno = e;
		return -1;
	}

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += READER_TOOL_SECONDS;
	{
		struct pollfd fds[2] = { { out_pipe[0], POLLIN, 0 },
					 { err_pipe[0], POLLIN, 0 } };
		char chunk[65536];
		while (open_fds > 0) {
			long left = ms_left(&deadline);
			int n;
			if (left <= 0) {
				r->timed_out = 1;
				break;
			}
			n = poll(fds, 2, (int)(left > 1000000 ? 1000000 : left));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			for (int i = 0; i < 2; i++) {
				ssize_t got;
				if (fds[i].fd < 0 || !fds[i].revents)
					continue;
				got = read(fds[i].fd, chunk, sizeof chunk);
				if (got < 0 && errno == EINTR)
					continue;
				if (got <= 0) {
					close(fds[i].fd);
					fds[i].fd = -1;
					open_fds--;
				} else if (i == 0) {
					if (r->out.len + (size_t)got > READER_MAX_TEXT) {
						r->too_large = 1;
						open_fds = 0;
						break;
					}
					strbuf_add(&r->out, chunk, (size_t)got);
				} else if (err.len < 4096) {
					strbuf_add(&err, chunk, (size_t)got);
				}
			}
		}
		for (int i = 0; i < 2; i++)
			if (fds[i].fd >= 0)
				close(fds[i].fd);
	}
	if (r->timed_out || r->too_large)
		kill(pid, SIGKILL);
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
	last_line(&err, r->err, sizeof r->err);
	strbuf_release(&err);
	return 0;
}

/* ---- output into paragraphs ---------------------------------------------- */

/* A line that antiword drew as a table row: "|cell |cell |". */
static int
is_table_row(const char *s, size_t len)
{
	return len >= 2 && s[0] == '|' && s[len - 1] == '|';
}

static reader_status_t
add_row(reader_doc_t *doc, const char *s, size_t len, unsigned row, strbuf_t *cell)
{
	unsigned col = 0;
	size_t start = 1;
	reader_status_t st = READER_OK;
	for (size_t i = 1; i < len && st == READER_OK; i++) {
		if (s[i] != '|')
			continue;
		strbuf_reset(cell);
		strbuf_add(cell, s + start, i - start);
		strbuf_trim(cell);
		st = reader_priv_add_text(doc, cell, READER_CELL, row, col++);
		start = i + 1;
	}
	return st;
}

/* For pdftotext -layout: no leading blanks, inner runs of blanks -> tab. */
static void
unlayout(strbuf_t *line)
{
	size_t i = 0, o = 0;
	while (i < line->len && line->buf[i] == ' ')
		i++;
	while (i < line->len) {
		if (line->buf[i] == ' ' && i + 1 < line->len && line->buf[i + 1] == ' ') {
			while (i < line->len && line->buf[i] == ' ')
				i++;
			line->buf[o++] = '\t';
		} else {
			line->buf[o++] = line->buf[i++];
		}
	}
	strbuf_setlen(line, o);
}

enum { OUT_PLAIN, OUT_ANTIWORD, OUT_LAYOUT };

static reader_status_t
split_lines(reader_doc_t *doc, const strbuf_t *out, int kind)
{
	strbuf_t line = STRBUF_INIT, cell = STRBUF_INIT;
	reader_status_t st = READER_OK;
	size_t start = 0;
	unsigned row = 0;
	int in_table = 0;

	for (size_t i = 0; i <= out->len && st == READER_OK; i++) {
		const char *s;
		size_t len;
		if (i < out->len && out->buf[i] != '\n' && out->buf[i] != '\f')
			continue;
		s = out->buf + start;
		len = i - start;
		start = i + 1;
		if (len && s[len - 1] == '\r')
			len--;
		if (kind == OUT_ANTIWORD && is_table_row(s, len)) {
			if (!in_table)
				row = 0;
			in_table = 1;
			st = add_row(doc, s, len, row++, &cell);
			continue;
		}
		strbuf_reset(&line);
		strbuf_add(&line, s, len);
		if (kind == OUT_LAYOUT)
			unlayout(&line);
		if (in_table) {
			/* A blank line or two follows every table row. */
			size_t k = 0;
			while (k < line.len && (line.buf[k] == ' ' || line.buf[k] == '\t'))
				k++;
			if (k == line.len)
				continue;
			in_table = 0;
		}
		st = reader_priv_add_text(doc, &line, READER_PARA, 0, 0);
	}
	strbuf_release(&line);
	strbuf_release(&cell);
	return st;
}

/* ---- the two formats ---------------------------------------------------- */

static const char *
program_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * Run the program on a copy of buf; READER_OK with its output in r->out
 * if it exited 0, else a failure with the message set.
 */
static reader_status_t
convert(reader_doc_t *doc, char **argv, size_t file_arg, const void *buf,
	size_t len, run_t *r)
{
	strbuf_t tmp = STRBUF_INIT;
	const char *name = program_name(argv[0]);
	reader_status_t st = READER_OK;

	if (write_temp(buf, len, &tmp) < 0) {
		st = reader_priv_fail(doc, READER_IO,
				      "cannot write a temporary file: %s",
				      strerror(errno));
		strbuf_release(&tmp);
		return st;
	}
	argv[file_arg] = tmp.buf;
	strbuf_reset(&r->out);
	if (run_tool(argv, r) < 0)
		st = reader_priv_fail(doc, READER_IO, "cannot run %s: %s", name,
				      strerror(errno));
	else if (r->timed_out)
		st = reader_priv_fail(doc, READER_MALFORMED,
				      "%s timed out after %d seconds", name,
				      READER_TOOL_SECONDS);
	else if (r->too_large)
		st = reader_priv_fail(doc, READER_TOO_LARGE,
				      "text too large (over %u bytes)",
				      READER_MAX_TEXT);
	else if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 127 &&
		 !r->out.len)
		st = reader_priv_fail(doc, READER_IO, "cannot run %s", name);
	else if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		st = reader_priv_fail(doc, READER_MALFORMED, "%s failed: %s", name,
				      r->err[0] ? r->err
				      : WIFEXITED(r->status) ? "no reason given"
				      : "killed by a signal");
	if (st == READER_MALFORMED) {
		/* "/tmp/protodex-Ab12Cd is not a Word Document." */
		char *at = strstr(doc->error, tmp.buf);
		if (at) {
			memmove(at + 8, at + tmp.len, strlen(at + tmp.len) + 1);
			memcpy(at, "the file", 8);
		}
	}
	argv[file_arg] = NULL;
	unlink(tmp.buf);
	strbuf_release(&tmp);
	return st;
}

reader_status_t
reader_priv_read_doc(reader_doc_t *doc, const void *buf, size_t len)
{
	char *antiword = find_tool("antiword"), *catdoc = find_tool("catdoc");
	run_t r = { STRBUF_INIT, "", 0, 0, 0 };
	reader_status_t st = READER_OK;
	int kind = OUT_ANTIWORD;

	if (!antiword && !catdoc)
		return reader_priv_fail(doc, READER_UNSUPPORTED,
					"install antiword or catdoc to read .doc "
					"files (apt-get install antiword)");
	if (antiword) {
		char *argv[] = { antiword, "-m", "UTF-8.txt", "-w", "0", NULL, NULL };
		st = convert(doc, argv, 5, buf, len, &r);
	}
	if (catdoc && (!antiword || st == READER_MALFORMED || st == READER_IO)) {
		char *argv[] = { catdoc, "-w", "-d", "utf-8", NULL, NULL };
		char first[sizeof doc->error];
		snprintf(first, sizeof first, "%s", doc->error);
		st = convert(doc, argv, 4, buf, len, &r);
		kind = OUT_PLAIN;
		if (st != READER_OK && antiword) /* antiword's complaint is clearer */
			st = reader_priv_fail(doc, st, "%s", first);
	}
	if (st == READER_OK) {
		doc->encoding = "UTF-8";
		st = split_lines(doc, &r.out, kind);
	}
	strbuf_release(&r.out);
	free(antiword);
	free(catdoc);
	return st;
}

reader_status_t
reader_priv_read_pdf(reader_doc_t *doc, const void *buf, size_t len)
{
	char *pdftotext = find_tool("pdftotext");
	run_t r = { STRBUF_INIT, "", 0, 0, 0 };
	reader_status_t st;

	if (!pdftotext)
		return reader_priv_fail(doc, READER_UNSUPPORTED,
					"install poppler-utils to read .pdf files "
					"(apt-get install poppler-utils)");
	{
		char *argv[] = { pdftotext, "-enc", "UTF-8", "-layout", NULL, "-",
				 NULL };
		st = convert(doc, argv, 4, buf, len, &r);
	}
	if (st == READER_OK) {
		doc->encoding = "UTF-8";
		st = split_lines(doc, &r.out, OUT_LAYOUT);
		if (st == READER_OK && doc->n_paras == 0)
			st = reader_priv_fail(doc, READER_EMPTY,
					      "no text (a scanned PDF without a "
					      "text layer?)");
	}
	strbuf_release(&r.out);
	free(pdftotext);
	return st;
}
