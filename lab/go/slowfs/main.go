// Command faultline-slowfs is the embedded lab's delaying disk: a loopback FUSE filesystem that mirrors a backing
// folder and holds chosen file operations for a set time, so an IOChaos-like latency can be put on a real
// database's data directory and taken off again while the database runs.
//
// The lab mounts one slowfs over the folder that holds its PostgreSQL data directories. What is delayed is read
// from a control folder, re-read whenever a file in it changes: postgres-jkt.json holding
//
//	{"delayUs": 50000, "percent": 100, "methods": ["write", "fsync"]}
//
// delays those operations on files below the mount's top-level folder postgres-jkt. No file (or an empty one)
// delays nothing. Kernel passthrough is refused on purpose: with it, reads and writes would bypass
// this process and could not be delayed.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// rule is what one top-level folder's operations suffer.
type rule struct {
	DelayUs int64    `json:"delayUs"`
	Percent float64  `json:"percent"`
	Methods []string `json:"methods"`
}

// policy maps a top-level folder to its rule; swapped whole when the control file changes.
type policy map[string]rule

var current atomic.Pointer[policy]

// hold sleeps if the current policy delays `method` on files below `top`.
func hold(top, method string) {
	p := current.Load()
	if p == nil {
		return
	}
	r, ok := (*p)[top]
	if !ok || r.DelayUs <= 0 {
		return
	}
	if len(r.Methods) > 0 && !contains(r.Methods, method) {
		return
	}
	if r.Percent > 0 && r.Percent < 100 && rand.Float64()*100 >= r.Percent {
		return
	}
	time.Sleep(time.Duration(r.DelayUs) * time.Microsecond)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// node is a loopback node whose open files are slowFiles.
type node struct {
	fs.LoopbackNode
}

func newNode(root *fs.LoopbackRoot, _ *fs.Inode, _ string, _ *syscall.Stat_t) fs.InodeEmbedder {
	return &node{LoopbackNode: fs.LoopbackNode{RootData: root}}
}

// top is the first element of the node's path below the mount: the database's folder.
func (n *node) top() string {
	path := n.EmbeddedInode().Path(nil)
	if i := strings.IndexByte(path, '/'); i >= 0 {
		return path[:i]
	}
	return path
}

var _ = (fs.NodeOpener)((*node)(nil))
var _ = (fs.NodeCreater)((*node)(nil))

func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	hold(n.top(), "open")
	fh, fuseFlags, errno := n.LoopbackNode.Open(ctx, flags)
	return wrap(fh, n.top()), fuseFlags, errno
}

func (n *node) Create(ctx context.Context, name string, flags uint32, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	inode, fh, fuseFlags, errno := n.LoopbackNode.Create(ctx, name, flags, mode, out)
	top := n.top()
	if top == "" {
		top = name
	}
	return inode, wrap(fh, top), fuseFlags, errno
}

func wrap(fh fs.FileHandle, top string) fs.FileHandle {
	lf, ok := fh.(*fs.LoopbackFile)
	if !ok {
		return fh
	}
	return &slowFile{LoopbackFile: lf, top: top}
}

// slowFile is a loopback file whose data operations wait as the policy says; everything else is the loopback's.
type slowFile struct {
	*fs.LoopbackFile
	top string
}

// PassthroughFd refuses kernel passthrough, which would send reads and writes around this process.
func (f *slowFile) PassthroughFd() (int, bool) { return -1, false }

func (f *slowFile) Read(ctx context.Context, buf []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	hold(f.top, "read")
	return f.LoopbackFile.Read(ctx, buf, off)
}

func (f *slowFile) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	hold(f.top, "write")
	return f.LoopbackFile.Write(ctx, data, off)
}

func (f *slowFile) Writev(ctx context.Context, data [][]byte, off int64) (uint32, syscall.Errno) {
	hold(f.top, "write")
	return f.LoopbackFile.Writev(ctx, data, off)
}

func (f *slowFile) Fsync(ctx context.Context, flags uint32) syscall.Errno {
	hold(f.top, "fsync")
	return f.LoopbackFile.Fsync(ctx, flags)
}

func (f *slowFile) Flush(ctx context.Context) syscall.Errno {
	hold(f.top, "flush")
	return f.LoopbackFile.Flush(ctx)
}

// watch re-reads the control folder whenever a file in it appears, changes or goes: one file per top-level folder,
// named <folder>.json, holding that folder's rule.
func watch(control string, every time.Duration, logf func(string, ...any)) {
	var seen string
	for {
		entries, _ := os.ReadDir(control)
		stamp := ""
		for _, e := range entries {
			if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".json") {
				stamp += fmt.Sprintf("%s/%d/%d;", e.Name(), info.Size(), info.ModTime().UnixNano())
			}
		}
		if stamp != seen {
			p, complete := readPolicy(control, entries)
			if complete {
				seen = stamp
				current.Store(&p)
				text, _ := json.Marshal(p)
				logf("policy %s", text)
			}
		}
		time.Sleep(every)
	}
}

// readPolicy reads every rule file; a file caught half-written makes it report incomplete, to be read again.
func readPolicy(control string, entries []os.DirEntry) (policy, bool) {
	p := policy{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		text, err := os.ReadFile(control + "/" + name)
		if err != nil {
			continue // removed meanwhile: no rule
		}
		if len(strings.TrimSpace(string(text))) == 0 {
			continue
		}
		var r rule
		if err := json.Unmarshal(text, &r); err != nil {
			return nil, false
		}
		p[strings.TrimSuffix(name, ".json")] = r
	}
	return p, true
}

func main() {
	backing := flag.String("backing", "", "folder whose contents the mount shows (required)")
	mount := flag.String("mount", "", "empty folder to mount on (required)")
	control := flag.String("control", "", "folder of rule files (<folder>.json) saying what to delay (required)")
	poll := flag.Duration("poll", 20*time.Millisecond, "how often the control folder is checked for changes")
	flag.Parse()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s slowfs: %s\n", time.Now().Format(time.RFC3339Nano), fmt.Sprintf(format, args...))
	}
	if *backing == "" || *mount == "" || *control == "" {
		fmt.Fprintln(os.Stderr, "usage: faultline-slowfs -backing DIR -mount DIR -control DIR")
		os.Exit(2)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(*backing, &st); err != nil {
		logf("backing folder: %v", err)
		os.Exit(1)
	}
	root := &fs.LoopbackRoot{Path: *backing, Dev: uint64(st.Dev), NewNode: newNode}
	rootNode := newNode(root, nil, "", &st)
	root.RootNode = rootNode
	current.Store(&policy{})
	go watch(*control, *poll, logf)

	// Only this mount changes the backing files while it is up, so the kernel may cache names and attributes: without
	// it every stat PostgreSQL makes is a round trip to this process.
	cache := 5 * time.Second
	opts := &fs.Options{EntryTimeout: &cache, AttrTimeout: &cache}
	// Other users (PostgreSQL runs as postgres) use the mount; the kernel checks their permissions against the
	// backing files' owners and modes, which the loopback preserves.
	opts.AllowOther = true
	opts.Options = []string{"default_permissions"}
	opts.DirectMountStrict = true
	opts.FsName = "faultline-slowfs"
	opts.Name = "slowfs"
	server, err := fs.Mount(*mount, rootNode, opts)
	if err != nil {
		logf("mount %s: %v", *mount, err)
		os.Exit(1)
	}
	logf("mounted %s over %s", *mount, *backing)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		current.Store(&policy{})
		unmount(server, *mount, logf)
	}()
	server.Wait()
	logf("unmounted %s", *mount)
}

// unmount detaches the filesystem; a mount still busy after a few tries (a database holding files open) is detached
// lazily rather than left behind.
func unmount(server *fuse.Server, mount string, logf func(string, ...any)) {
	for i := 0; i < 20; i++ {
		if err := server.Unmount(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := syscall.Unmount(mount, syscall.MNT_DETACH); err != nil {
		logf("lazy unmount %s: %v", mount, err)
		os.Exit(1)
	}
	logf("detached %s lazily", mount)
}
