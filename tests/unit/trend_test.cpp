// The watch trend test on synthetic heaps: steady sawtooths raise nothing,
// a steady leak is caught, and the naive rule's false alarms do not happen.
#include "watch/trend.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace heapwise::watch {
namespace {

// A GC sawtooth: allocation ramps for `period` seconds, then falls back to
// the base (+ leak), with noise; one sample every `step` seconds.
std::vector<TimedValue> sawtooth(double seconds, double step, double base, double leak_per_second, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 2e5);
  std::vector<TimedValue> out;
  const double period = 7.0, amplitude = 20e6;
  for (double t = 0; t < seconds; t += step) {
    const double phase = std::fmod(t, period) / period;
    out.push_back({t, base + leak_per_second * t + amplitude * phase + noise(rng)});
  }
  return out;
}

TrendOptions fast_options() {
  TrendOptions o;
  o.window_seconds = 15;
  o.warmup_seconds = 30;
  return o;
}

TEST(Trend, MannKendallAndTheilSenOnAStraightLine) {
  std::vector<TimedValue> line;
  for (int i = 0; i < 20; ++i) line.push_back({static_cast<double>(i), 100.0 + 3 * i});
  EXPECT_LT(mann_kendall(line).p_increasing, 1e-6);
  EXPECT_DOUBLE_EQ(theil_sen_slope(line), 3.0);
  std::reverse(line.begin(), line.end());
  for (size_t i = 0; i < line.size(); ++i) line[i].t = static_cast<double>(i);
  EXPECT_GT(mann_kendall(line).p_increasing, 0.99);
}

TEST(Trend, SteadyHeapsRaiseNoAlarm) {
  int alarms = 0, naive_alarms = 0;
  for (uint32_t seed = 0; seed < 100; ++seed) {
    auto s = sawtooth(20 * 60, 5, 50e6, 0, seed);
    alarms += test_trend(s, fast_options(), 0).leak;
    // The common hand-written rule: heapUsed up 10 % over the last 10 samples.
    const auto& last = s.back();
    const auto& tenth = s[s.size() - 10];
    naive_alarms += last.v > tenth.v * 1.1;
  }
  EXPECT_EQ(alarms, 0);
  EXPECT_GT(naive_alarms, 10);  // the naive rule does fire on some of them
}

TEST(Trend, ALeakOf3MBPerMinuteIsCaughtWithin10Minutes) {
  int caught = 0;
  for (uint32_t seed = 0; seed < 50; ++seed) {
    auto s = sawtooth(10 * 60, 5, 50e6, 3e6 / 60, seed);
    auto v = test_trend(s, fast_options(), 4e9);
    caught += v.leak;
    if (v.leak) {
      EXPECT_NEAR(v.slope_bytes_per_second, 3e6 / 60, 3e6 / 60 * 0.25);
      EXPECT_GT(v.seconds_to_limit, 0);
    }
  }
  EXPECT_EQ(caught, 50);
}

TEST(Trend, AnOldRampThatStoppedIsNotALeak) {
  auto s = sawtooth(20 * 60, 5, 50e6, 0, 7);
  for (auto& p : s) p.v += std::min(p.t, 8 * 60.0) * 1e5;  // grew for 8 minutes, then flat
  EXPECT_FALSE(test_trend(s, fast_options(), 0).leak);
}

TEST(Trend, TooFewPointsIsNotAVerdict) {
  auto s = sawtooth(60, 5, 50e6, 1e6, 1);
  auto v = test_trend(s, fast_options(), 0);
  EXPECT_FALSE(v.enough_data);
  EXPECT_FALSE(v.leak);
}

}  // namespace
}  // namespace heapwise::watch
