// Clients that keep writing while a fault strikes (an instance killed, the
// database restarted or its connections terminated), and the checks that
// nothing acknowledged was lost: shared by InstancesTest and NginxTest
// (POSTGRES.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace renkei::it {

struct WritesThroughFault {
  // The writers, connected where the test wants them.
  std::vector<std::unique_ptr<Participant>>* clients = nullptr;
  int per_client = 20;
  std::string id_prefix = "w";
  // Where client `i` connects again when its connection died; `struck`
  // says whether the fault has been set off. May keep state per client.
  std::function<std::uint16_t(std::size_t i, bool struck)> reconnect_port;
  // Set off 300 ms after the writers began.
  std::function<void()> fault;
  // Where the log is read back, by whom, and where a client whose instance
  // died after its last command connects again to catch up.
  std::uint16_t check_port = 0;
  Credentials checker;
  // Also require that the fault came while the clients were writing.
  bool expect_mid_way = true;
};

struct WritesThroughFaultOutcome {
  // Per client: whether it had to connect again while writing.
  std::vector<bool> reconnected;
};

// Each client posts `per_client` issues at a steady pace, sending a command
// again with the same id until it is acknowledged (at most 30 s), as the
// browser client does, connecting again from the last event it saw when its
// connection dies. Then checks that every command was acknowledged once,
// that every acknowledged event is in the log once at its seq, that the log
// has no gap, and that every client saw every seq once across its
// connections.
WritesThroughFaultOutcome write_through_fault(const WritesThroughFault& run);

}  // namespace renkei::it
