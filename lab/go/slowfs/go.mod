// faultline-slowfs: the lab's delaying loopback FUSE filesystem (our own code), built by scripts/setup.sh into the
// tools folder. go-fuse is pinned here; go.sum holds its checksums.
module faultline.dev/lab-tools/slowfs

go 1.24

require github.com/hanwen/go-fuse/v2 v2.12.1

require golang.org/x/sys v0.28.0 // indirect
