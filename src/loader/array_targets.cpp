// The loader's array targets (see array_targets.h).
#include "loader/array_targets.h"

#include <algorithm>
#include <cstring>

namespace heapwise {

namespace {
// How many of n values stored from index `base` fit in an array of `total`.
size_t fitting(size_t n, uint64_t base, uint64_t total) {
  return base >= total ? 0 : static_cast<size_t>(std::min<uint64_t>(n, total - base));
}
}  // namespace

size_t NodeTarget::store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) {
  // The values that fit are checked first: the first problem in the file
  // is the one reported, however the array was cut into batches and pieces.
  const size_t fit = fitting(n, base, total_);
  const size_t stored = store_fitting(v, fit, base, msg);
  if (stored < fit || fit == n) return stored;
  *msg = "the nodes array holds more numbers than node_count × node_fields (" + std::to_string(total_) + ")";
  return fit;
}

size_t NodeTarget::store_fitting(const uint64_t* v, size_t n, uint64_t base, std::string* msg) {
  uint64_t node = base / fields_;
  size_t field = static_cast<size_t>(base % fields_);
  const size_t types = g_.node_type_names.size();
  bool any_trace = false, any_detached = false;
  for (size_t i = 0; i < n; ++i) {
    uint64_t x = v[i];
    switch (roles_[field]) {
      case kType:
        if (x >= types) {
          *msg = "node type " + std::to_string(x) + " is not in meta.node_types";
          return i;
        }
        g_.node_type[node] = static_cast<uint8_t>(x);
        break;
      case kName:
        if (x > 0xffffffffu) return bad32(msg, "node name", i);
        g_.node_name[node] = static_cast<uint32_t>(x);
        break;
      case kId:
        if (x > 0xffffffffu) return bad32(msg, "node id", i);
        g_.node_id[node] = static_cast<uint32_t>(x);
        break;
      case kSelf:
        if (SizeColumn::is_big(x)) {
          // No heap holds 2^56 bytes (64 PiB): a file whose sizes add up to
          // more is refused here rather than wrapping every total after it.
          constexpr uint64_t kMostBytes = uint64_t{1} << 56;
          std::lock_guard<std::mutex> lock(big_mu_);
          if (x > kMostBytes || big_total_ > kMostBytes - x) {
            *msg = "node self_size " + std::to_string(x) + " makes the heap larger than 2^56 bytes";
            return i;
          }
          big_total_ += x;
          g_.raw_self_sizes.set_fresh(node, x);
          break;
        }
        g_.raw_self_sizes.set_fresh(node, x);
        break;
      case kEdges:
        if (x > 0xffffffffu) return bad32(msg, "edge_count", i);
        g_.first_edge[node] = static_cast<uint32_t>(x);
        break;
      case kTrace:
        if (x > 0xffffffffu) return bad32(msg, "trace_node_id", i);
        // Zero is the common value: leaving the page untouched keeps it out of RSS.
        if (x) {
          g_.trace_node_id[node] = static_cast<uint32_t>(x);
          any_trace = true;
        }
        break;
      case kDetached:
        if (x > 255) {
          *msg = "detachedness " + std::to_string(x) + " is out of range";
          return i;
        }
        if (x) {
          g_.detachedness[node] = static_cast<uint8_t>(x);
          any_detached = true;
        }
        break;
      case kSkip:
        break;
    }
    if (++field == fields_) {
      field = 0;
      ++node;
    }
  }
  // Once per batch, not per value: the threads would fight over the line.
  if (any_trace) any_trace_.store(true, std::memory_order_relaxed);
  if (any_detached) any_detached_.store(true, std::memory_order_relaxed);
  return n;
}

size_t EdgeTarget::store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) {
  const size_t fit = fitting(n, base, total_);  // checked first, as for nodes
  const size_t stored = store_fitting(v, fit, base, msg);
  if (stored < fit || fit == n) return stored;
  *msg = "the edges array holds more numbers than edge_count × edge_fields (" + std::to_string(total_) + ")";
  return fit;
}

size_t EdgeTarget::store_fitting(const uint64_t* v, size_t n, uint64_t base, std::string* msg) {
  uint64_t edge = base / fields_;
  size_t field = static_cast<size_t>(base % fields_);
  const size_t types = g_.edge_type_names.size();
  const uint64_t node_end = static_cast<uint64_t>(g_.node_count) * node_fields_;
  for (size_t i = 0; i < n; ++i) {
    uint64_t x = v[i];
    switch (roles_[field]) {
      case kType:
        if (x >= types) {
          *msg = "edge type " + std::to_string(x) + " is not in meta.edge_types";
          return i;
        }
        types_[edge] = static_cast<uint8_t>(x);
        break;
      case kName:
        if (x > 0xffffffffu) {
          *msg = "edge name_or_index does not fit in 32 bits";
          return i;
        }
        names_[edge] = static_cast<uint32_t>(x);
        break;
      case kTo:
        if (x % node_fields_ != 0) {
          *msg = "to_node " + std::to_string(x) + " is not a multiple of the node field count " +
                 std::to_string(node_fields_);
          return i;
        }
        if (x >= node_end) {
          *msg = "to_node " + std::to_string(x) + " points past the last node";
          return i;
        }
        g_.edge_to[edge] = static_cast<uint32_t>(x / node_fields_) << g_.edge_type_bits;
        break;
      case kSkip:
        break;
    }
    if (++field == fields_) {
      field = 0;
      ++edge;
    }
  }
  return n;
}

LocationTarget::LocationTarget(const Meta& m, BigArray<Location>& out, bool whole)
    : out_(out),
      fields_(std::max<size_t>(m.location_fields.size(), 1)),
      node_fields_(m.node_fields.size()),
      node_count_(m.node_count),
      limit_(m.node_count * fields_),
      whole_(whole),
      keep_(m.has_location_fields) {
  roles_.assign(fields_, kSkip);
  if (!keep_) return;
  const std::pair<const char*, Role> known[] = {
      {"object_index", kObject}, {"script_id", kScript}, {"line", kLine}, {"column", kColumn}};
  for (auto& [name, role] : known) {
    const int i = index_of(m.location_fields, name);
    if (i >= 0) roles_[static_cast<size_t>(i)] = role;
  }
  if (whole_) out_.reserve(static_cast<size_t>(m.node_count));
}

size_t LocationTarget::store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) {
  const size_t fit = fitting(n, base, limit_);
  if (keep_ && fit) {
    const size_t last_entry = static_cast<size_t>((base + fit - 1) / fields_);
    // Streamed input arrives in order on one thread: grow to what it holds.
    if (!whole_ && last_entry >= out_.size()) {
      if (last_entry >= out_.bytes() / sizeof(Location))
        out_.reserve(std::max<size_t>(last_entry + 1, 2 * out_.size()));
      out_.resize(last_entry + 1);
    }
  }
  uint64_t entry = base / fields_;
  size_t field = static_cast<size_t>(base % fields_);
  Location* records = out_.data();
  for (size_t i = 0; i < fit && keep_; ++i) {
    const uint64_t x = v[i];
    const uint32_t x32 = static_cast<uint32_t>(std::min<uint64_t>(x, 0xffffffffu));
    switch (roles_[field]) {
      case kObject:
        if (x % node_fields_ || x / node_fields_ >= node_count_) {
          *msg = "location #" + std::to_string(entry) + " object_index " + std::to_string(x) + " is not a node";
          return i;
        }
        records[entry].node = static_cast<NodeIndex>(x / node_fields_);
        break;
      case kScript:
        records[entry].script_id = x32;
        break;
      case kLine:
        records[entry].line = x32;
        break;
      case kColumn:
        records[entry].column = x32;
        break;
      case kSkip:
        break;
    }
    if (++field == fields_) {
      field = 0;
      ++entry;
    }
  }
  if (fit == n) return n;
  *msg = "the locations array holds more than " + std::to_string(limit_) +
         " numbers (node_count × location fields: V8 writes one location per object at most)";
  return fit;
}

size_t VectorTarget::store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) {
  // The first value past the limit is the one reported, however the array
  // was cut into batches and pieces.
  if (base + n > limit_) {
    const size_t fit = fitting(n, base, limit_);
    if (fit) store(v, fit, base, msg);
    *msg = std::string("the ") + what_ + " array holds more than " + std::to_string(limit_) + " numbers (" +
           why_limit_ + ")";
    return fit;
  }
  // Whole inputs were reserved up front (and may be stored from several
  // threads); streamed ones grow here, from one thread.
  if (!whole_ && base + n > values.size()) {
    if (base + n > values.bytes() / sizeof(uint64_t))
      values.reserve(std::max<size_t>(static_cast<size_t>(base + n), 2 * values.size()));
    values.resize(static_cast<size_t>(base + n));
  }
  if (n) std::memcpy(values.data() + base, v, n * sizeof(uint64_t));
  return n;
}

}  // namespace heapwise
