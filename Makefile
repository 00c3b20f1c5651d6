# heapwise: the two-command quick start is `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

BUILD_DIR ?= build
SAN_DIR ?= build-sanitize
JOBS ?= $(shell nproc)

.PHONY: all deps deps-test build demo test test-sanitize bench install clean

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

# Every test: unit and integration tests on a normal build, then the same
# under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps-test build test-sanitize
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps-test
	cmake -S . -B $(SAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPWISE_SANITIZE=ON
	cmake --build $(SAN_DIR) -j $(JOBS)
	cd $(SAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS)

bench: build
	./bench/run.sh $(BUILD_DIR)/heapwise

install: build
	cmake --install $(BUILD_DIR) --prefix /usr/local

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR)
