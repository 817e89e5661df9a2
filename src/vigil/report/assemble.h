// Assembling a report from the store: every event of the store through the
// disclosure gate (policy::DisclosurePolicy::Countable), each placed in the
// state of its facility, then counted and suppressed by BuildReport
// (report.h). Lives beside the report, in a library of its own, because it
// needs the store and the gate, which the report's arithmetic does not.
#ifndef VIGIL_REPORT_ASSEMBLE_H_
#define VIGIL_REPORT_ASSEMBLE_H_

#include "vigil/core/error.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/report/report.h"
#include "vigil/store/store.h"

namespace vigil::report {

// The report `request` asks for, from what `store` holds now. Names are
// dropped as people are read; nothing but countable events reaches
// BuildReport. kUnavailable when the store fails; BuildReport's errors for
// a request it refuses.
Result<Report> AssembleReport(Store& store, const policy::DisclosurePolicy& policy,
                              const ReportRequest& request);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_ASSEMBLE_H_
