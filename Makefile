# The two commands of the README. Both do all setup on a fresh machine.
.PHONY: run test build
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
build:
	bash scripts/setup.sh && swift build -c release
