# 网签系统 — every command a developer or CI needs. See README.md.
#   make run    install what is missing, build (release), start on http://127.0.0.1:3000 (ADDR=…) with demo data
#   make test   unit + integration (SQLite and PostgreSQL) + end-to-end (headless Chromium)
#   make dev    cargo leptos watch (demo data, live reload; installs cargo-leptos the first time)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Where the tools go: npm's binaryen and esbuild in TOOLS_DIR, cargo installs (`make dev`'s) in CARGO_HOME's bin.
TOOLS_DIR ?= $(HOME)/.cache/wangqian-tools
export TOOLS_DIR
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
TARGET := $(or $(CARGO_TARGET_DIR),target)
SERVER := $(TARGET)/release/server
# What the server needs to find the built site (cargo-leptos sets these itself for `dev`).
# hash.txt (beside the binary) names the hashed JS, WASM and CSS files (`hash-files`).
SITE_ENV := LEPTOS_OUTPUT_NAME=wangqian LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true
ADDR ?= 127.0.0.1:3000
E2E_ADDR ?= 127.0.0.1:3100
PG_URL ?= postgres://app:app@127.0.0.1:5432/app

.PHONY: help tools dev-tools test-tools build run dev test lint test-rust e2e bench fmt clean

help:
	@sed -n '2,5p' Makefile

tools:
	@.ci/install-tools.sh build

dev-tools:
	@.ci/install-tools.sh dev

test-tools:
	@.ci/install-tools.sh test

# The release server, and the site made by server/site from the release WASM build: split at the
# lazy routes, bound, optimised, named by content hashes, with a .br and a .gz beside every file
# (README "What a browser receives"). The tool installs, the cargo builds and the site builder's
# own compile run at the same time (.ci/build.sh says how).
build:
	@.ci/build.sh

run: build
	@mkdir -p data
	$(SITE_ENV) LEPTOS_SITE_ADDR=$(ADDR) DEMO=1 DATABASE_URL=$${DATABASE_URL:-sqlite://data/wangqian.db?mode=rwc} $(SERVER)

dev: dev-tools
	@mkdir -p data
	DEMO=1 DATABASE_URL=$${DATABASE_URL:-sqlite://data/wangqian.db?mode=rwc} cargo leptos watch

test: test-tools lint test-rust e2e

# The workspace formatted as rustfmt.toml says, and no clippy warning, on the server side and in
# the WASM build.
lint:
	cargo fmt --all --check
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy -p frontend --features split --target wasm32-unknown-unknown -- -D warnings

# Unit and integration tests. The integration tests run every case on SQLite and on the local
# PostgreSQL started here (REQUIRE_POSTGRES makes a missing server a failure, not a skip).
# The frontend crate is the WASM entry point: building it for the host with `ssr` would mix features.
test-rust:
	@.ci/postgres.sh start
	TEST_POSTGRES_URL=$(PG_URL) REQUIRE_POSTGRES=1 cargo test --workspace --exclude frontend

# End to end: the release build on a fresh SQLite database with demo data, driven by Playwright.
e2e: build
	@.ci/e2e.sh "$(SERVER)" "$(E2E_ADDR)"

# Performance figures beside their baselines, measured in one run (README "Benchmarks"). Leptos
# reads LEPTOS_OUTPUT_NAME at compile time: setting it as cargo-leptos does keeps `build` and
# `bench` from recompiling each other's Leptos crates. The time to a working click (figure 8)
# runs Chromium through Playwright: the tools `make test` installs.
bench: build test-tools
	$(SITE_ENV) cargo run --release -p bench --features split -- --site-pkg target/site/pkg

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf data end2end/test-results
