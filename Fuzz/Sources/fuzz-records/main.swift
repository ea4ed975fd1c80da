import FuzzSupport
import Glibc
import MailScrubCore

nonisolated(unsafe) private let harness = Harness(mode: .records)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    harness.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

exit(runFuzzer(fuzzTestOneInput))
