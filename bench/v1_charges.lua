-- wrk script for bench/run.sh: POST /v1/charges as Ping++'s server SDKs do, each request with
-- an order_no of its own ($BENCH_ORDER_PREFIX + a counter: the API refuses a reused one).
-- $BENCH_APP and $BENCH_CHANNEL say what to create; the API key comes with -H Authorization.
local prefix = os.getenv("BENCH_ORDER_PREFIX") or "b"
local app = os.getenv("BENCH_APP")
local channel = os.getenv("BENCH_CHANNEL") or "testpay"
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local body = string.format(
    '{"order_no":"%s%08d","app":{"id":"%s"},"channel":"%s","amount":1,"client_ip":"127.0.0.1",' ..
    '"currency":"cny","subject":"bench","body":"bench charge"}',
    prefix, counter, app, channel)
  return wrk.format(nil, "/v1/charges", nil, body)
end
