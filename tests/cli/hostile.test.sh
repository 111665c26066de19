#!/usr/bin/env bash
# Hostile files given to every reader of the command-line tool: deep JSON, NUL bytes,
# hand-made quiz files, conflicting labels, slow replies. Each ends with exit 2 and one
# line naming the problem (or exit 0 where the input is a list of answers), never with a
# crash.
# shellcheck source=SCRIPTDIR/harness.sh
source "$(dirname "$0")/harness.sh" "$@"

py() { /usr/bin/python3 -c "$@"; }

# 100,000 levels of nesting (200 KB) in every reader.
py 'print("[" * 100000 + "]" * 100000)' >"$tmp/deep.json"
deep='JSON nested deeper than 64 levels at byte 64$'
expect_error_like "^curvelab prune: $tmp/deep.json: $deep" prune "$tmp/deep.json"
py 'import sys; sys.stdout.write("{\"trials\": " + "[" * 100000 + "]" * 100000 + "}")' >"$tmp/deep_study.json"
expect_error_like "^curvelab prune: stdin: JSON nested deeper than 64 levels at byte 74$" prune - <"$tmp/deep_study.json"
expect_error_like "^curvelab generate: --ranges $tmp/deep.json: $deep" generate --ranges "$tmp/deep.json"
expect_error_like "^curvelab score: --quiz $tmp/deep.json: $deep" score --quiz "$tmp/deep.json" --answers /dev/null

"$cli" quiz --count 4 --seed 3 --kind pairwise --format json >"$tmp/pairs.json" || fail "quiz exits 0 (status $?)"
"$cli" quiz --count 3 --seed 3 --kind sequential --format json >"$tmp/seq.json" || fail "quiz exits 0 (status $?)"
"$cli" quiz --count 2 --seed 3 --kind rank-max --format json >"$tmp/rank.json" || fail "quiz exits 0 (status $?)"
pair_id=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["id"])' "$tmp/pairs.json")

# A deep answer line is reported as that line's problem; the others still count.
py 'import sys; print("{\"id\": \"" + sys.argv[1] + "\", \"answer\": " + "[" * 100000 + "]" * 100000 + "}")' \
  "$pair_id" >"$tmp/deep_answers.jsonl"
echo "{\"id\": \"$pair_id\", \"answer\": {\"better\": \"A\"}}" >>"$tmp/deep_answers.jsonl"
"$cli" score --quiz "$tmp/pairs.json" --answers "$tmp/deep_answers.jsonl" --format json >"$tmp/out" 2>"$tmp/err"
status=$?
want_run py 'import json,sys; r=json.load(open(sys.argv[1])); u=r["unparseable"]; assert len(u)==1 and u[0]["line"]==1, u; assert "nested deeper than 64 levels" in u[0]["error"], u' \
  "$tmp/out"
want_status 0 "$status"
verdict "score --answers with a deep line: $(head -c 300 "$tmp/out")"

# A deep `display` in an otherwise valid label.
"$cli" quiz --count 1 --seed 3 --kind onset --format json >"$tmp/onset.json"
cat >"$tmp/label.py" <<'EOF'
import json, sys
item = json.load(open(sys.argv[1]))["items"][0]
label = {"schema": "curvelab.label/1", "id": "l1", "annotator": "a", "session": "s", "created_at": "t",
         "app_version": "1", "quiz_kind": item["kind"], "item": item, "display": {}, "answer": {"step": 100},
         "skipped": False, "latency_ms": 1, "score": {}}
text = json.dumps(label)
if sys.argv[2] == "deep":
    text = text.replace('"display": {}', '"display": {"d": ' + "[" * 100000 + "]" * 100000 + "}")
print(text)
EOF
/usr/bin/python3 "$tmp/label.py" "$tmp/onset.json" deep >"$tmp/deep_label.jsonl"
/usr/bin/python3 "$tmp/label.py" "$tmp/onset.json" flat >"$tmp/label.jsonl"
"$cli" labels summary "$tmp/label.jsonl" >/dev/null 2>"$tmp/err"
status=$?
status_is 0 "a plain label reads: $(cat "$tmp/err")" "$status"
expect_error_like "^curvelab labels: $tmp/deep_label.jsonl: line 1: JSON nested deeper than 64 levels at byte [0-9]+$" \
  labels summary "$tmp/deep_label.jsonl"

# A NUL byte refuses the text instead of ending it.
printf '{"trials": [{"values": [1]}]}\0garbage' >"$tmp/nul.json"
expect_error_like "^curvelab prune: $tmp/nul.json: not valid JSON: a NUL byte at byte 29$" prune "$tmp/nul.json"

# Quiz files: each field checked before anything runs.
edit() { # edit FILE PYTHON-EXPRESSION-ON-q > OUT
  py "import json,sys; q=json.load(open(sys.argv[1])); $2; print(json.dumps(q))" "$1"
}
edit "$tmp/pairs.json" 'del q["items"][0]["runs"][1]' >"$tmp/one_run.json"
expect_error_like "^curvelab score: --quiz $tmp/one_run.json: item 1: item.runs of a pairwise item must hold exactly 2 runs, got 1$" \
  score --quiz "$tmp/one_run.json" --answers /dev/null
edit "$tmp/seq.json" 'q["items"][0]["checkpoints"][0] = -2147483648' >"$tmp/cp_low.json"
expect_error_like "item 1: item.checkpoints must be in \[1, 1000\], got -2147483648$" score --quiz "$tmp/cp_low.json" --key
edit "$tmp/seq.json" 'q["items"][0]["checkpoints"].append(2147483647)' >"$tmp/cp_high.json"
expect_error_like "item 1: item.checkpoints must be in \[1, 1000\], got 2147483647$" score --quiz "$tmp/cp_high.json" --key
edit "$tmp/rank.json" 'q["items"][1]["id"] = q["items"][0]["id"]' >"$tmp/dup.json"
expect_error_like "item 2: item.id \"rank-max-3-0\" is used by an earlier item \(ids must be unique\)$" \
  score --quiz "$tmp/dup.json" --key
# 500 runs x 1,000,000 steps in a 121 KB file: refused before any allocation.
edit "$tmp/rank.json" 'it=q["items"][0]; r=dict(it["runs"][0], steps=1000000); it["runs"]=[r]*500; it["horizon"]=1000000; it["shown_until"]=1000000' \
  >"$tmp/huge.json"
expect_error_like "item 1: item.runs must hold at most 100 runs, got 500$" score --quiz "$tmp/huge.json" --key
edit "$tmp/rank.json" 'it=q["items"][0]; r=dict(it["runs"][0], steps=1000000); it["runs"]=[r]*100; it["horizon"]=1000000; it["shown_until"]=1000000' \
  >"$tmp/big.json"
expect_error_like "item 1: item.runs x item.horizon must be at most 20000000 run-steps, got 100 x 1000000$" \
  score --quiz "$tmp/big.json" --key

# Labels that share an item id but not the item.
cat >"$tmp/conflict.py" <<'EOF'
import json, sys
rank = json.load(open(sys.argv[1]))["items"][0]
other = json.loads(json.dumps(rank))
other["runs"] = other["runs"][:3]
for n, (item, ranking) in enumerate([(rank, ["A", "B", "C", "D"]), (other, ["C", "B", "A"])]):
    print(json.dumps({"schema": "curvelab.label/1", "id": str(n), "annotator": "a" + str(n), "session": "s",
                      "created_at": "t", "app_version": "1", "quiz_kind": "rank-max", "item": item,
                      "display": {}, "answer": {"ranking": ranking}, "skipped": False, "latency_ms": 1,
                      "score": {"score": 1}}))
EOF
/usr/bin/python3 "$tmp/conflict.py" "$tmp/rank.json" >"$tmp/conflict.jsonl"
expect_error_like "^curvelab labels: label 2: item.id \"rank-max-3-0\" names another item in label 1 " \
  labels summary "$tmp/conflict.jsonl"

# A reply of a million open braces is read in one pass (well inside the ctest time-out).
py 'import json,sys; print(json.dumps({"id": sys.argv[1], "response": "{" * 1000000}))' "$pair_id" >"$tmp/braces.jsonl"
"$cli" score --quiz "$tmp/pairs.json" --answers "$tmp/braces.jsonl" --format json >"$tmp/out" 2>"$tmp/err"
status=$?
want_run py 'import json,sys; u=json.load(open(sys.argv[1]))["unparseable"]; assert u[0]["error"]=="no JSON object in the reply", u' \
  "$tmp/out"
want_status 0 "$status"
verdict "a reply of 1,000,000 braces"

finish hostile
