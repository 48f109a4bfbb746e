-- Cycles through the paths listed (one per line) in the file named by BENCH_URLS, each
-- wrk thread starting at a different offset, so a run covers every distinct URL.
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
