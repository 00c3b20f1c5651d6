# heapwise: the two-command quick start is `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

BUILD_DIR ?= build
SAN_DIR ?= build-sanitize
JOBS ?= $(shell nproc)
# How long each fuzz target mutates: in `make test` (a smoke run after the
# corpus and the regression inputs) and in `make fuzz`.
TEST_FUZZ_SECONDS ?= 10
FUZZ_SECONDS ?= 600
# `make fuzz` stops a target at FUZZ_RUNS executions too (-1: time only).
FUZZ_RUNS ?= -1

.PHONY: all deps deps-test build build-strict demo unit test test-sanitize fuzz format format-check bench install clean

all: build

deps:
	@./scripts/install-deps.sh

deps-test:
	@./scripts/install-deps.sh test

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Writes a snapshot of the example leaky program and analyses it.
demo: build
	@./examples/run-demo.sh $(BUILD_DIR)/heapwise

# The same build with warnings as errors (what `make test` and CI use).
build-strict: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DHEAPWISE_WERROR=ON
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The inner loop: unit tests and the include-layer check, seconds.
unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

# Every test: the format check, unit and integration tests on a build with
# warnings as errors, then the same under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps-test format-check build-strict test-sanitize
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Built with clang, whose libFuzzer comes with it: the same build runs every
# test under the sanitizers and the fuzz targets (fuzz/README.md) briefly.
# -O1 -g1: line numbers in the sanitizers' reports, and a build that fits CI's time.
SAN_CONFIGURE = cmake -S . -B $(SAN_DIR) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DHEAPWISE_SANITIZE=ON -DHEAPWISE_FUZZ=ON

test-sanitize: deps-test
	$(SAN_CONFIGURE) -DHEAPWISE_FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) -DHEAPWISE_FUZZ_RUNS=-1
	cmake --build $(SAN_DIR) -j $(JOBS)
	cd $(SAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS)

# Each fuzz target for FUZZ_SECONDS (default 10 minutes) or FUZZ_RUNS executions,
# whichever comes first, two at a time on two cores; libFuzzer's final stats
# (executions, coverage) end each log.
fuzz: deps-test
	$(SAN_CONFIGURE) -DHEAPWISE_FUZZ_SECONDS=$(FUZZ_SECONDS) -DHEAPWISE_FUZZ_RUNS=$(FUZZ_RUNS)
	cmake --build $(SAN_DIR) -j $(JOBS)
	cd $(SAN_DIR) && UBSAN_OPTIONS=print_stacktrace=1 ctest -V -L fuzz -j $(JOBS) > fuzz.log 2>&1; status=$$?; \
	    grep -E "^[0-9]+: (#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|stat::number_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)|Test +#" fuzz.log; \
	    echo "heapwise: the whole log is $(SAN_DIR)/fuzz.log"; exit $$status

FORMATTED = $(shell find src tests/unit fuzz bench -name '*.cpp' -o -name '*.h' 2>/dev/null)

format: deps-test
	@clang-format -i $(FORMATTED)

# Fails on any C++ file that differs from the committed style (.clang-format).
format-check: deps-test
	@clang-format --dry-run --Werror $(FORMATTED) && echo "heapwise: C++ formatting OK"

bench: build
	cmake --build $(BUILD_DIR) --target heapwise_phase_bench
	$(BUILD_DIR)/heapwise_phase_bench
	./bench/run.sh $(BUILD_DIR)/heapwise

install: build
	cmake --install $(BUILD_DIR) --prefix /usr/local

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR)
