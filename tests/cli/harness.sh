# shellcheck shell=bash
# The shared harness of the CLI test scripts (sourced): the binary under test, a scratch
# folder removed on exit, the pass/fail counters with the closing line ctest reads, and the
# checks. A failing check prints "FAIL: DESCRIPTION", then for each part that did not hold
# what was wanted and what was got (values cut to $show_bytes bytes).
# usage in a script: source "$(dirname "$0")/harness.sh" "$@"; ...; finish NAME
#
# One call, one check:
#   same GOT WANT DESC               the strings are equal
#   matches GOT REGEX DESC           a line of GOT matches REGEX (grep -E)
#   contains GOT TEXT DESC           GOT holds TEXT (a fixed string)
#   compare GOT OP WANT DESC         the numbers compare: OP is -eq -ne -lt -le -gt -ge
#   status_is WANT DESC [GOT]        the last command's exit status (or GOT) is WANT; pass GOT
#                                    where DESC runs $(...), which sets $? itself
#   files_same A B DESC              the files are byte for byte the same (on failure: diff | head)
#   files_differ A B DESC            ... and not
#   json_check FILE 'JS expr over j' DESC   the expression holds over the parsed file
#   json_check_py FILE 'Python expr over j' DESC   ... a Python expression
#   succeeds DESC CMD [ARGS...]      the command exits 0 (on failure: its status, its output,
#                                    and the lines of a script that exit with that status)
#   expect_error LINE ARGS...        curvelab ARGS exits 2, LINE alone on stderr, nothing on stdout
#   expect_refusal LINE ARGS...      exits 2, LINE alone on stderr (stdout may hold {"error": ...})
#   expect_error_like REGEX ARGS...  exits 2, one line on stderr matching REGEX, nothing on stdout
#   expect_refusal_has TEXT ARGS...  exits 2, stderr holds TEXT
# A check of several parts: each want_* below records the part that did not hold (status 1),
# and `verdict DESC` ends the check, counting it once:
#   want_same GOT WANT [WHAT], want_match GOT REGEX [WHAT], want_no_match GOT REGEX [WHAT],
#   want_has GOT TEXT [WHAT], want_compare GOT OP WANT [WHAT], want_lines TEXT N [WHAT],
#   want_status WANT [GOT] (GOT: the last command's status; pass it where an argument runs $(...)),
#   want_empty FILE [WHAT], want_files_same A B, want_files_differ A B,
#   want_json FILE EXPR, want_json_py FILE EXPR, want_run CMD [ARGS...]
# `ok` and `fail MESSAGE` count one check by hand; a step that is no check of its own but
# must work is written `CMD || fail "DESC (status $?)"`. tests/cli/harness.test.sh (ctest
# cli.harness) fails each check on purpose and reads what it prints.
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
show_bytes=600
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# clip TEXT [BYTES]: TEXT in quotes, cut to BYTES (default $show_bytes) with its length when cut.
clip() {
  local LC_ALL=C max=${2:-$show_bytes}
  if [ "${#1}" -le "$max" ]; then
    printf "'%s'" "$1"
  else
    printf "'%s'... (%d bytes)" "${1:0:max}" "${#1}"
  fi
}

# The parts of the check under way that did not hold.
mismatches=()
mismatch() {
  mismatches+=("$1")
  return 1
}
verdict() {
  if [ "${#mismatches[@]}" -eq 0 ]; then
    ok
    return 0
  fi
  fail "$1"
  printf '  %s\n' "${mismatches[@]}"
  mismatches=()
  return 1
}

want_same() {
  [ "$1" = "$2" ] || mismatch "${3:-value} wanted: $(clip "$2")
  ${3:-value} got:    $(clip "$1")"
}
want_match() {
  grep -Eq -- "$2" <<<"$1" || mismatch "${3:-value} wanted: a line matching /$2/
  ${3:-value} got:    $(clip "$1")"
}
want_no_match() {
  ! grep -Eq -- "$2" <<<"$1" || mismatch "${3:-value} wanted: no line matching /$2/
  ${3:-value} got:    $(clip "$(grep -E -- "$2" <<<"$1")")"
}
want_has() {
  [[ "$1" == *"$2"* ]] || mismatch "${3:-value} wanted: holding $(clip "$2")
  ${3:-value} got:    $(clip "$1")"
}
want_compare() {
  test "$1" "$2" "$3" 2>/dev/null || mismatch "${4:-value} wanted: $2 $3
  ${4:-value} got:    $(clip "$1")"
}
# want_lines TEXT N [WHAT]: TEXT is N lines.
want_lines() {
  local n
  n=$(printf '%s\n' "$1" | wc -l)
  [ "$n" -eq "$2" ] || mismatch "${3:-value} wanted: $2 lines
  ${3:-value} got:    $n lines: $(clip "$1")"
}
want_status() {
  local got=${2-$?}
  [ "$got" = "$1" ] || mismatch "exit status wanted: $1
  exit status got:    $got"
}
want_empty() {
  [ ! -s "$1" ] || mismatch "${2:-$1} wanted: nothing
  ${2:-$1} got:    $(clip "$(head -c $((show_bytes + 1)) "$1")") ($(wc -c <"$1") bytes)"
}
want_files_same() {
  cmp -s "$1" "$2" || mismatch "wanted: $1 and $2 the same
  got:    $(clip "$(diff "$1" "$2" 2>&1 | head -n 20)")"
}
want_files_differ() {
  ! cmp -s "$1" "$2" || mismatch "wanted: $1 and $2 to differ
  got:    the same $(wc -c <"$1") bytes: $(clip "$(head -c $((show_bytes + 1)) "$1")")"
}
# error_line TEXT: the first line of TEXT naming an error (a stack trace's message), else TEXT.
error_line() {
  local line
  line=$(grep -m 1 -E '^[A-Za-z.]*(Error|Exception)\b' <<<"$1")
  printf '%s' "${line:-$1}"
}
# want_json FILE EXPR: EXPR (JavaScript over j, the parsed FILE) holds.
want_json() {
  local said
  said=$(node -e "const j=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')); if(!($2)) process.exit(1)" \
    "$1" 2>&1) || mismatch "wanted: $(clip "$2")
  got:    $1 = $(clip "$(head -c $((show_bytes + 1)) "$1")")${said:+
  node said: $(clip "$(error_line "$said")" 300)}"
}
# want_json_py FILE EXPR: EXPR (Python over j, the parsed FILE) holds.
want_json_py() {
  local said
  said=$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" 2>&1) ||
    mismatch "wanted: $(clip "$2")
  got:    $1 = $(clip "$(head -c $((show_bytes + 1)) "$1")")${said:+
  python said: $(clip "$(error_line "$said")" 300)}"
}
# want_run CMD [ARGS...]: the command exits 0. On failure: its status, what it printed, and
# the lines of its arguments (a node -e or python -c script) that exit with that status.
want_run() {
  local said status where
  said=$("$@" 2>&1)
  status=$?
  [ "$status" -eq 0 ] && return 0
  where=$(printf '%s\n' "$@" | grep -F "exit($status)" | head -n 3 | sed 's/^ */    /')
  mismatch "wanted: $1 exits 0
  got:    exit status $status${where:+, from a line that exits $status:
$where}${said:+
  it said: $(clip "$said")}"
}

same() {
  want_same "$1" "$2"
  verdict "$3"
}
matches() {
  want_match "$1" "$2"
  verdict "$3"
}
contains() {
  want_has "$1" "$2"
  verdict "$3"
}
compare() {
  want_compare "$1" "$2" "$3"
  verdict "$4"
}
status_is() {
  want_status "$1" "${3-$?}"
  verdict "$2"
}
files_same() {
  want_files_same "$1" "$2"
  verdict "$3"
}
files_differ() {
  want_files_differ "$1" "$2"
  verdict "$3"
}
json_check() {
  want_json "$1" "$2"
  verdict "$3"
}
json_check_py() {
  want_json_py "$1" "$2"
  verdict "$3"
}
succeeds() {
  local desc=$1
  shift
  want_run "$@"
  verdict "$desc"
}

# refusal STDOUT(empty|any) MODE(same|like|has) WANT ARGS...: runs curvelab ARGS, one check.
refusal() {
  local stdout=$1 mode=$2 want=$3
  shift 3
  "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
  want_status 2
  local err
  err=$(cat "$tmp/err")
  case $mode in
  same) want_same "$err" "$want" stderr ;;
  like) want_match "$err" "$want" stderr ;;
  has) want_has "$err" "$want" stderr ;;
  esac
  [ "$mode" = has ] || want_same "$(wc -l <"$tmp/err")" 1 "stderr lines"
  [ "$stdout" = any ] || want_empty "$tmp/out" stdout
  local LC_ALL=C args="$*"
  [ "${#args}" -le 200 ] || args="${args:0:200}..."
  verdict "curvelab $args is refused"
}
expect_error() { refusal empty same "$@"; }
expect_refusal() { refusal any same "$@"; }
expect_error_like() { refusal empty like "$@"; }
expect_refusal_has() { refusal any has "$@"; }

# finish NAME: "NAME: N passed, N failed", and the exit status.
finish() {
  [ "${#mismatches[@]}" -eq 0 ] || verdict "a check left without its verdict"
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
