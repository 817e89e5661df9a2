// The `file` channel: writes each message to `<dir>/<notification id>.txt`
// (written to a temporary name, fsynced, renamed), so a re-send after a crash
// replaces the same file. The embedded default used by ./scripts/run.
#ifndef VIGIL_NOTIFY_FILE_CHANNEL_H_
#define VIGIL_NOTIFY_FILE_CHANNEL_H_

#include <string>

#include "vigil/notify/channel.h"

namespace vigil::notify {

class FileChannel final : public Channel {
 public:
  explicit FileChannel(std::string dir);
  SendResult Send(const OutgoingMessage& message) override;

 private:
  std::string dir_;
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_FILE_CHANNEL_H_
