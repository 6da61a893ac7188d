# shellcheck shell=bash disable=SC2034
# Sourced by bench/run and tools: each peer's h2c port (its TLS port is the next one).
declare -A PORT_OF=([nghttpd]=18100 [h2o]=18110 [nginx]=18120 [go]=18130 [node]=18140 [rodeo]=18150 [rodeo-io]=18160)
PORT_OF[gtlsserver]=18170  # HTTP/3 only: UDP 18171
