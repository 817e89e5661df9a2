#include "vigil/app/offline_gate.h"

#include "vigil/app/secrets.h"

namespace vigil {

Result<std::unique_ptr<OfflineGate>> OpenOfflineGate(const Config& config) {
  auto gate = std::make_unique<OfflineGate>();
  auto store = OpenStore(config.store.url);
  if (!store) return tl::unexpected(store.error());
  gate->store = std::move(*store);
  // The refs must be the ones the running server hands out.
  auto key = LoadOrCreateSecretKey(config.secrets.key_file);
  if (!key) return tl::unexpected(key.error());
  auto refs = policy::RefCodec::Create(*key);
  if (!refs) return tl::unexpected(refs.error());
  gate->refs = std::make_unique<policy::RefCodec>(std::move(*refs));
  gate->policy = std::make_unique<policy::DisclosurePolicy>(
      &gate->clock, gate->refs.get(), policy::PolicyOptions{config.policy.release_visibility_days});
  return gate;
}

}  // namespace vigil
