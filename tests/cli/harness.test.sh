#!/usr/bin/env bash
# The checks' shell code is in single quotes, run by eval in a subshell with its own $tmp.
# shellcheck disable=SC2016,SC2031
# The checks of harness.sh print what differed: each one, failing on purpose in a fresh
# harness of its own (a subshell), names the wanted and the got value, and finish then exits
# non-zero; the same checks passing count as passed and finish exits 0.
# usage: harness.test.sh path/to/curvelab
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"
here=$(dirname "$0")
# shellcheck disable=SC2034 # read by the checks' code
tmp_outer=$tmp

# A stand-in for curvelab whose answer is known: a line on each stream, exit status 3.
fake="$tmp/fake-curvelab"
printf '#!/bin/sh\nprintf "out of %%s\\n" "$*"\nprintf "err of %%s\\n" "$*" >&2\nexit 3\n' >"$fake"
chmod +x "$fake"
printf 'line one\nline two, got\n' >"$tmp/got.txt"
printf 'line one\nline two, wanted\n' >"$tmp/wanted.txt"
echo '{"answer": 41}' >"$tmp/answer.json"

# sandbox NAME BODY: BODY (shell code) and `finish NAME` in a fresh harness with the stand-in
# as curvelab; what it prints in $tmp/NAME.log, finish's status in $tmp/NAME.status.
sandbox() {
  (
    # shellcheck source=SCRIPTDIR/harness.sh
    source "$here/harness.sh" "$fake"
    eval "$2"
    finish "$1"
  ) >"$tmp/$1.log" 2>&1
  echo $? >"$tmp/$1.status"
}

# failing NAME BODY TEXT...: BODY is one failing check; the log holds a FAIL line, the count
# of one failed check and every TEXT (the wanted and the got values), and finish fails.
failing() {
  local name=$1 body=$2
  shift 2
  sandbox "$name" "$body"
  local log
  log=$(cat "$tmp/$name.log")
  want_compare "$(cat "$tmp/$name.status")" -ne 0 "finish's exit status"
  want_match "$log" "^FAIL: " log
  want_has "$log" "$name: 0 passed, 1 failed" log
  local text
  for text in "$@"; do
    want_has "$log" "$text" log
  done
  verdict "a failing $name prints what was wanted and what was got"
}

failing same 'same "the got value" "the wanted value" "same check"' \
  "FAIL: same check" "wanted: 'the wanted value'" "got:    'the got value'"
failing matches 'matches "the got text" "^wanted [0-9]+$" "matches check"' \
  "wanted: a line matching /^wanted [0-9]+$/" "got:    'the got text'"
failing contains 'contains "the got text" "the wanted part" "contains check"' \
  "wanted: holding 'the wanted part'" "got:    'the got text'"
failing compare 'compare 12 -lt 10 "compare check"' "wanted: -lt 10" "got:    '12'"
failing status_is 'false; status_is 2 "status_is check"' "exit status wanted: 2" "exit status got:    1"
failing status_given 'status_is 0 "status_given check" 7' "exit status wanted: 0" "exit status got:    7"
failing files_same 'files_same "$tmp_outer/got.txt" "$tmp_outer/wanted.txt" "files_same check"' \
  "wanted: $tmp/got.txt and $tmp/wanted.txt the same" "< line two, got" "> line two, wanted"
failing files_differ 'files_differ "$tmp_outer/got.txt" "$tmp_outer/got.txt" "files_differ check"' \
  "to differ" "the same 23 bytes: 'line one"
failing json_check 'json_check "$tmp_outer/answer.json" "j.answer===42" "json_check check"' \
  "wanted: 'j.answer===42'" "answer.json = '{\"answer\": 41}"
failing json_check_py 'json_check_py "$tmp_outer/answer.json" "j[\"answer\"] == 42" "json_check_py check"' \
  "wanted: 'j[\"answer\"] == 42'" "answer.json = '{\"answer\": 41}"
failing succeeds 'succeeds "succeeds check" node -e "
const sum = 1 + 1;
if (sum !== 3) { console.error(\"the sum is\", sum); process.exit(4); }"' \
  "wanted: node exits 0" "got:    exit status 4" "if (sum !== 3) { console.error(\"the sum is\", sum); process.exit(4); }" \
  "it said: 'the sum is 2'"
failing expect_error 'expect_error "the wanted line" simulate --runs 1; true' \
  "exit status wanted: 2" "exit status got:    3" \
  "stderr wanted: 'the wanted line'" "stderr got:    'err of simulate --runs 1'" \
  "stdout wanted: nothing" "stdout got:    'out of simulate --runs 1"
failing expect_refusal 'expect_refusal "the wanted line" prune x.json; true' \
  "exit status got:    3" "stderr wanted: 'the wanted line'" "stderr got:    'err of prune x.json'"
failing expect_error_like 'expect_error_like "^wanted: [a-z]+$" score; true' \
  "stderr wanted: a line matching /^wanted: [a-z]+$/" "stderr got:    'err of score'" "stdout got:    'out of score"
failing expect_refusal_has 'expect_refusal_has "the wanted part" labels; true' \
  "stderr wanted: holding 'the wanted part'" "stderr got:    'err of labels'"
# The refusal checks name the command in their FAIL line.
for name in expect_error expect_refusal expect_error_like expect_refusal_has; do
  want_match "$(cat "$tmp/$name.log")" "^FAIL: curvelab [a-z]+.* is refused$" "$name log"
done
verdict "a refusal check names the command it ran"

# A check of several parts counts once and names every part that did not hold.
failing parts 'want_status 0 5; want_same "a got" "a wanted" first; want_lines "x
y" 1 second; want_empty "$tmp_outer/got.txt" third; want_no_match "ab
cd" "^c" fourth; want_compare 3 -ge 4 fifth; verdict "parts check"' \
  "exit status got:    5" "first wanted: 'a wanted'" "first got:    'a got'" "second wanted: 1 lines" \
  "second got:    2 lines: 'x" "third wanted: nothing" "third got:    'line one" "(23 bytes)" \
  "fourth wanted: no line matching /^c/" "fourth got:    'cd'" "fifth wanted: -ge 4" "fifth got:    '3'"
# Long values are cut, with their length.
failing long 'same "$(head -c 5000 /dev/zero | tr "\0" x)" "short" "long check"' "... (5000 bytes)"
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' "$tmp/long.log")
compare "$longest" -lt 700 "a value of 5000 bytes is shown in at most 700"
# A part recorded without its verdict fails the script at finish.
failing unfinished 'want_same 1 2 value' "FAIL: a check left without its verdict" "value wanted: '2'"

# The same checks passing: each counts as passed, nothing is printed, finish exits 0.
sandbox passing '
same "a" "a" "same"
matches "ab
cd" "^c" "matches"
contains "abc" "b" "contains"
compare 9 -lt 10 "compare"
true; status_is 0 "status_is"
status_is 3 "status_is given" 3
files_same "$tmp_outer/got.txt" "$tmp_outer/got.txt" "files_same"
files_differ "$tmp_outer/got.txt" "$tmp_outer/wanted.txt" "files_differ"
json_check "$tmp_outer/answer.json" "j.answer===41" "json_check"
json_check_py "$tmp_outer/answer.json" "j[\"answer\"] == 41" "json_check_py"
succeeds "succeeds" node -e "process.exit(0)"
printf "#!/bin/sh\necho \"curvelab: refused\" >&2\nexit 2\n" >"$tmp/refuses"
chmod +x "$tmp/refuses"
cli="$tmp/refuses"
expect_error "curvelab: refused" anything
expect_refusal "curvelab: refused" anything
expect_error_like "^curvelab: [a-z]+$" anything
expect_refusal_has "refused" anything
want_status 0 0; want_same x x; want_lines "x" 1; want_empty /dev/null; want_no_match "ab" "^b"; verdict "parts"'
same "$(cat "$tmp/passing.log")" "passing: 16 passed, 0 failed" "passing checks count as passed and print nothing else"
same "$(cat "$tmp/passing.status")" 0 "finish exits 0 when every check passed"

finish harness
