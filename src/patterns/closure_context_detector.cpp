// Pattern 5: closures whose shared context keeps large data alive, the
// classic `replaceThing` leak: each new object's closure context holds the
// previous object, so a chain of them never dies.
#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

const char kExample[] =
    "const original = theThing;\nconst unused = () => original;  // shares the context with someMethod\n"
    "theThing = { someMethod() {} };\n// fix: theThing = ...; then `original = null` / do not capture it";

bool is_context_step(const std::string& text) { return text.find("context (internal)") != std::string::npos; }

class ClosureContextDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "closure-context"; }

  std::vector<Finding> scan(const Snapshot&) const override { return {}; }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    // A repeated block that passes through a closure context: a chain.
    bool chain = false;
    std::string variable;
    for (const auto& step : group.shape) {
      if (!step.repeated) continue;
      if (is_context_step(step.text)) chain = true;
      auto pos = step.text.find(" (closure variable)");
      if (pos != std::string::npos && variable.empty()) variable = step.text.substr(0, pos);
    }
    if (!chain) return std::nullopt;
    Finding f = group_verdict(
        id(), group, "closures share a context that keeps the previous " + group.leaked_class + " alive (a chain)",
        group.leaked_class + " objects linked through the closure variable '" + variable +
            "' of a context shared by the closures created with them",
        "", kExample);
    if (auto at = created_at(s, group.example); !at.empty()) {
      f.where += "; created at " + at;
      f.created_at = at;
      f.created_what = "closure";
    }
    f.kind = "closure variable";
    const auto steps = path_steps(s, group.example_path);
    for (size_t k = 0; k < steps.size(); ++k)
      if (steps[k].edge_name == variable && steps[k].edge_type == s.graph().edge_types.context) {
        name_holder(f, s, steps, static_cast<int>(k));
        break;
      }
    f.fix = "All closures created in one scope share one context: a closure that is never called still keeps '" +
            variable +
            "' alive. Set the variable to null when done, or move the closure that needs it out of that scope.";
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_closure_context_detector() {
  return std::make_unique<ClosureContextDetector>();
}

}  // namespace heapwise
