package clamdtest

import (
	"os/exec"
	"syscall"
)

// dieWithParent asks the kernel to end clamd when the test binary dies, so
// that a test killed by its timeout leaves no daemon behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
