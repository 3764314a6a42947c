#!/usr/bin/env bash
# docker-py drives container VMs through the API (docker_py_test.py).
source "$(dirname "$0")/docker_lib.sh"
start_api_attachd verify
/usr/bin/python3 "$(dirname "$0")/docker_py_test.py" "$STATE" "$API_PORT" ||
  fail "docker-py"
wait_for no_qemus
pass "the VMs are gone"
