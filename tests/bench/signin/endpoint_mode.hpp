// `renkei_signin_bench --mode endpoint`: a storm of simultaneous sign-ins
// through the real server's POST /api/sign-in while a council meets on the
// same server, and the council's ack latency with and without the storm
// (tests/bench/RESULTS.md, "Sign-in").
//
// The run: a temporary database; `renkei council create` and `renkei
// invite` make a council and its members (v1 invite tokens, said in
// hello); `renkei org add` and `renkei person add` make --requests people
// with logins, and POST /api/setup/<token> gives each a password (12+
// random characters). Then `renkei serve` runs; the members post issue.post
// at --rate commands a second in total (open loop), and each round is
// phase A (--duration seconds of the council alone), then phase B (the same
// with --requests POST /api/sign-in, right passwords, all written at once
// on connections opened beforehand, lasting at least --duration seconds and
// until the last sign-in is answered). Reports per phase the council's ack
// latency (of commands sent in the phase; in B also of those sent while
// sign-ins were outstanding), the server's CPU, and the sign-ins' latency,
// throughput and refusals (503 busy, 429 rate_limited); last line: one JSON
// object.
//
// Threading: the main thread drives; the council runs on a thread of its
// own (CouncilTraffic), the storm on the main thread (HttpStorm).
#pragma once

#include <cstddef>
#include <string>

namespace renkei::bench {

struct EndpointOptions {
  std::string renkei;  // the server binary (--renkei)
  std::size_t requests = 200;
  int rounds = 3;
  std::size_t members = 10;      // council connections, every one posting
  double rate = 200;             // council commands a second, all members together
  double duration = 10;          // seconds of each phase at least
  double warmup = 2;             // seconds of council traffic before the first phase
  std::size_t addresses = 10;    // client addresses 127.0.0.1 .. 127.0.0.N, in turn
  std::size_t hash_threads = 0;  // --hash-threads of serve; 0: the server's default
};

// Returns the process exit code: 0 when the run completed with every
// council command acknowledged and every sign-in answered 200, 429 or 503.
int run_endpoint(const EndpointOptions& options);

}  // namespace renkei::bench
