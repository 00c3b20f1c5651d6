// Where a program declares the names heapwise reports. A closure variable
// lives in a Context; the closures created in that scope point at it, and
// each leads to its script (analysis/scripts.h) and has a position in it.
// The declaration is then found in the script's text: `const|let|var NAME`
// (destructuring too), `function NAME` or `class NAME`, the last one before
// that closure, since a scope declares its variables before the functions
// that use them. The text is the file itself when it is on this machine and
// starts as the snapshot's copy does (V8 keeps only its first 1024
// characters), else that copy.
#pragma once

#include <optional>
#include <string_view>

#include "analysis/heap_text.h"
#include "analysis/snapshot.h"

namespace heapwise {

// The declaration of closure variable `name` of `context` (a system / Context
// node), 1-based, or nullopt when no closure of that scope leads to a script
// whose text declares it.
std::optional<SourceLocation> closure_variable_declaration(const Snapshot& s, NodeIndex context, std::string_view name);

// The declaration of property `name` of `owner`, a function or class (a
// static field, `Owner.name = ...`): in the owner's script, the first
// `static name` or `.name =` from the owner's position on.
std::optional<SourceLocation> property_declaration(const Snapshot& s, NodeIndex owner, std::string_view name);

// The offset of the declaration of `name` in `text`: the last one at or
// before `before` (an offset), else the first after it; nullopt if none.
std::optional<size_t> find_declaration(std::string_view text, std::string_view name, size_t before);
// The first `static name` or `.name =` at or after `from` in `text`, else the last before it.
std::optional<size_t> find_property_declaration(std::string_view text, std::string_view name, size_t from);

}  // namespace heapwise
