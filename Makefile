# Shorthands for the two README commands; the scripts need only bash and Python 3.11, not make.
.PHONY: demo test ci

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

ci:
	bash .ci/run
