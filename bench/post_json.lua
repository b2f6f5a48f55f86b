-- wrk script for bench/run.sh: POST the same JSON body (from $BENCH_BODY) on every request.
-- Headers given with -H (e.g. Authorization) are kept; wrk merges them with these.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
