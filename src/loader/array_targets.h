// Where the loader's integer arrays go. store() checks and writes values
// [base, base+n) of an array; it may run on several threads for disjoint ranges
// when splittable(). It returns n, or the position of the first bad value
// with *msg set, so the scanner can report that value's byte offset.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "graph/heap_graph.h"
#include "loader/snapshot_header.h"
#include "util/big_array.h"

namespace heapwise {

class ArrayTarget {
 public:
  virtual ~ArrayTarget() = default;
  virtual size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) = 0;
  // Whether store() may be called from several threads for disjoint ranges.
  virtual bool splittable() const { return false; }
};

class NodeTarget final : public ArrayTarget {
 public:
  enum Role : uint8_t { kSkip, kType, kName, kId, kSelf, kEdges, kTrace, kDetached };
  NodeTarget(HeapGraph& g, const Meta& m) : g_(g), fields_(m.node_fields.size()), total_(m.node_count * fields_) {
    roles_.assign(fields_, kSkip);
    const std::pair<const char*, Role> known[] = {{"type", kType},
                                                  {"name", kName},
                                                  {"id", kId},
                                                  {"self_size", kSelf},
                                                  {"edge_count", kEdges},
                                                  {"trace_node_id", kTrace},
                                                  {"detachedness", kDetached}};
    for (auto& [name, role] : known) {
      int i = index_of(m.node_fields, name);
      if (i >= 0) roles_[static_cast<size_t>(i)] = role;
    }
  }
  uint64_t total() const { return total_; }
  bool splittable() const override { return true; }
  // Whether any node had a trace node id or a detachedness other than 0.
  bool any_trace() const { return any_trace_.load(std::memory_order_relaxed); }
  bool any_detached() const { return any_detached_.load(std::memory_order_relaxed); }

  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override;

 private:
  size_t store_fitting(const uint64_t* v, size_t n, uint64_t base, std::string* msg);
  static size_t bad32(std::string* msg, const char* what, size_t i) {
    *msg = std::string(what) + " does not fit in 32 bits";
    return i;
  }
  HeapGraph& g_;
  size_t fields_;
  uint64_t total_;
  std::vector<Role> roles_;
  std::mutex big_mu_;
  // Sizes of 4 GiB and more, summed (under big_mu_): with at most 2^29 nodes
  // the smaller ones cannot make a total wrap, these could.
  uint64_t big_total_ = 0;
  std::atomic<bool> any_trace_{false}, any_detached_{false};
};

class EdgeTarget final : public ArrayTarget {
 public:
  enum Role : uint8_t { kSkip, kType, kName, kTo };
  EdgeTarget(HeapGraph& g, const Meta& m, BigArray<uint8_t>& types, BigArray<uint32_t>& names)
      : g_(g),
        types_(types),
        names_(names),
        fields_(m.edge_fields.size()),
        node_fields_(m.node_fields.size()),
        total_(m.edge_count * fields_) {
    roles_.assign(fields_, kSkip);
    roles_[static_cast<size_t>(index_of(m.edge_fields, "type"))] = kType;
    roles_[static_cast<size_t>(index_of(m.edge_fields, "name_or_index"))] = kName;
    roles_[static_cast<size_t>(index_of(m.edge_fields, "to_node"))] = kTo;
  }
  uint64_t total() const { return total_; }
  bool splittable() const override { return true; }

  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override;

 private:
  size_t store_fitting(const uint64_t* v, size_t n, uint64_t base, std::string* msg);
  HeapGraph& g_;
  BigArray<uint8_t>& types_;   // packed into edge_to once the array is read
  BigArray<uint32_t>& names_;  // packed into HeapGraph::edge_name then
  size_t fields_, node_fields_;
  uint64_t total_;
  std::vector<Role> roles_;
};

// The locations array, straight into Location records ([object_index,
// script_id, line, column] in meta's field order): 16 bytes a location where
// its four numbers as 64-bit values would take 32, and a copy more to build
// the records. The records are reserved up to one per node (V8 writes one
// location per object at most; untouched pages cost nothing), so the pieces
// of a big array can be stored from several threads. Without
// meta.location_fields the numbers are counted and dropped.
class LocationTarget final : public ArrayTarget {
 public:
  LocationTarget(const Meta& m, BigArray<Location>& out, bool whole);
  bool splittable() const override { return whole_; }
  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override;
  size_t fields() const { return fields_; }

 private:
  enum Role : uint8_t { kSkip, kObject, kScript, kLine, kColumn };
  BigArray<Location>& out_;
  std::vector<Role> roles_;
  size_t fields_;
  uint64_t node_fields_, node_count_, limit_;
  bool whole_;
  bool keep_;  // meta names location fields: store the records, else only count
};

// The other integer arrays (samples, trace function infos) are kept whole
// as 64-bit values. The column is reserved up to the limit
// (untouched pages cost nothing), so the pieces of a big locations array
// can be stored from several threads.
class VectorTarget final : public ArrayTarget {
 public:
  // At most `limit` values: what the file can hold (every number takes two
  // bytes) or, tighter, what V8 can write given the header's counts
  // (`why_limit` says which, for the error). whole: the input is mapped whole.
  VectorTarget(uint64_t limit, const char* what, const char* why_limit, bool whole)
      : limit_(limit), what_(what), why_limit_(why_limit), whole_(whole) {
    if (whole_) values.reserve(static_cast<size_t>(limit));
  }
  BigArray<uint64_t> values;  // the first (parsed count) entries are the array
  bool splittable() const override { return whole_; }
  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override;

 private:
  uint64_t limit_;
  const char* what_;
  const char* why_limit_;
  bool whole_;
};

}  // namespace heapwise
