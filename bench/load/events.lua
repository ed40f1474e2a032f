-- wrk script: one event per request, spread over the sessions listed in $SESSIONS_FILE.
-- Each request posts a remote speech event to a random open session, from a pool of 8,192
-- drawn at random (see requests.lua for why the requests are formatted in advance).
local requests = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "requests.lua")
local file = os.getenv("SESSIONS_FILE")
local sessions = {}
for line in io.lines(file) do
  if #line > 0 then sessions[#sessions + 1] = line end
end
local lines = {
  "您好，这里是市公安局刑侦支队，您的身份证涉嫌一起洗钱案件",
  "Please keep this call confidential and do not hang up",
  "请您打开屏幕共享，我们需要核实您的银行账户",
  "the weather is nice today, see you at dinner",
}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
local pool = {}
for n = 1, 8192 do
  local id = sessions[math.random(#sessions)]
  local body = '{"type":"speech","speaker":"remote","text":"' .. lines[math.random(#lines)] .. '"}'
  pool[n] = requests.post("/v1/sessions/" .. id .. "/events", body)
end
requests.serve(pool)
