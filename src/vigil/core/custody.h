// Current custody state as a fold over events (DESIGN.md §5).
//
// The state of a person is determined by their non-retracted events sorted by
// (occurred_at, source, event_id); delivery order never matters. Pure
// functions; thread-safe.
#ifndef VIGIL_CORE_CUSTODY_H_
#define VIGIL_CORE_CUSTODY_H_

#include <vector>

#include "vigil/core/domain.h"

namespace vigil {

// True if `a` sorts before `b` in fold order.
bool FoldsBefore(const CustodyEvent& a, const CustodyEvent& b);

// Applies one event on top of `state` (which must reflect only events that
// fold before it). Retractions are ignored here: the caller removes the
// retracted event and refolds.
void ApplyEvent(const CustodyEvent& event, Subject& state);

// Folds `events` (any order; retractions and retracted events must already be
// removed) into the state of the person they describe. `base` supplies the
// identity fields (subject_id, a_number) that the result keeps.
Subject FoldCustody(std::vector<CustodyEvent> events, const Subject& base);

}  // namespace vigil

#endif  // VIGIL_CORE_CUSTODY_H_
