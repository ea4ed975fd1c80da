import Glibc
import MailScrubCore

/// libFuzzer's entry point, linked in by `-sanitize=fuzzer`. Calling it from `main`
/// (instead of letting libFuzzer own `main`) is what links with SwiftPM executables.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The harness of this process; set once by `runFuzzer` before libFuzzer starts.
nonisolated(unsafe) private var harness: Harness?

/// libFuzzer calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // Safe to force unwrap: runFuzzer sets it before handing control to libFuzzer.
    harness!.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Runs libFuzzer with this process's arguments on the harness for `mode`, and exits.
public func runFuzzer(mode: Pipeline.Mode) -> Never {
    harness = Harness(mode: mode)
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
}
