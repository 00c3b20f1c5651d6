// Trend test (see trend.h).
#include "watch/trend.h"

#include <algorithm>
#include <cmath>

namespace heapwise::watch {

std::vector<TimedValue> window_minima(const std::vector<TimedValue>& samples, double window_seconds) {
  std::vector<TimedValue> out;
  if (samples.empty() || window_seconds <= 0) return out;
  double start = samples.front().t;
  TimedValue best = samples.front();
  for (const auto& s : samples) {
    if (s.t >= start + window_seconds) {
      out.push_back(best);
      start += window_seconds * std::floor((s.t - start) / window_seconds);
      best = s;
      continue;
    }
    if (s.v < best.v) best = s;
  }
  // The last window only counts when complete: a partial one is biased high.
  if (!samples.empty() && samples.back().t >= start + window_seconds * 0.999) out.push_back(best);
  return out;
}

MannKendall mann_kendall(const std::vector<TimedValue>& x) {
  MannKendall r;
  const size_t n = x.size();
  if (n < 3) return r;
  double s = 0;
  for (size_t i = 0; i + 1 < n; ++i)
    for (size_t j = i + 1; j < n; ++j) s += (x[j].v > x[i].v) - (x[j].v < x[i].v);
  // Variance with the correction for tied groups.
  std::vector<double> values;
  for (const auto& p : x) values.push_back(p.v);
  std::sort(values.begin(), values.end());
  double ties = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && values[j] == values[i]) ++j;
    const double t = static_cast<double>(j - i);
    ties += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  const double dn = static_cast<double>(n);
  const double var = (dn * (dn - 1) * (2 * dn + 5) - ties) / 18.0;
  r.s = s;
  if (var <= 0) return r;
  r.z = s > 0 ? (s - 1) / std::sqrt(var) : s < 0 ? (s + 1) / std::sqrt(var) : 0;
  r.p_increasing = 0.5 * std::erfc(r.z / std::sqrt(2.0));
  return r;
}

double theil_sen_slope(const std::vector<TimedValue>& x) {
  std::vector<double> slopes;
  for (size_t i = 0; i + 1 < x.size(); ++i)
    for (size_t j = i + 1; j < x.size(); ++j)
      if (x[j].t > x[i].t) slopes.push_back((x[j].v - x[i].v) / (x[j].t - x[i].t));
  if (slopes.empty()) return 0;
  const size_t mid = slopes.size() / 2;
  std::nth_element(slopes.begin(), slopes.begin() + static_cast<ptrdiff_t>(mid), slopes.end());
  double m = slopes[mid];
  if (slopes.size() % 2 == 0) {
    const double lower = *std::max_element(slopes.begin(), slopes.begin() + static_cast<ptrdiff_t>(mid));
    m = (m + lower) / 2;
  }
  return m;
}

TrendVerdict test_trend(const std::vector<TimedValue>& samples, const TrendOptions& o, double limit_bytes) {
  TrendVerdict v;
  if (samples.empty()) return v;
  std::vector<TimedValue> recent;
  const double from = samples.front().t + o.warmup_seconds;
  for (const auto& s : samples)
    if (s.t >= from) recent.push_back(s);
  const auto minima = window_minima(recent, o.window_seconds);
  v.points = minima.size();
  if (minima.size() < o.min_points) return v;
  v.enough_data = true;
  const auto mk = mann_kendall(minima);
  v.p_value = mk.p_increasing;
  v.confidence = 1 - mk.p_increasing;
  v.slope_bytes_per_second = theil_sen_slope(minima);
  const std::vector<TimedValue> half(minima.begin() + static_cast<ptrdiff_t>(minima.size() / 2), minima.end());
  const bool recent_agrees =
      theil_sen_slope(half) >= v.slope_bytes_per_second / 2 && mann_kendall(half).p_increasing < 0.05;
  v.leak = mk.p_increasing < o.p_threshold && v.slope_bytes_per_second >= o.min_slope_bytes_per_second && recent_agrees;
  if (limit_bytes > 0 && v.slope_bytes_per_second > 0)
    v.seconds_to_limit = std::max(0.0, (limit_bytes - minima.back().v) / v.slope_bytes_per_second);
  return v;
}

}  // namespace heapwise::watch
