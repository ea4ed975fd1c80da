import ArgumentParser

/// An error the tool reports as one line on stderr before exiting with `code`.
/// Messages name files and settings, never the secret or log content.
struct Failure: Error {
    /// sysexits-style codes, documented in `--help`.
    enum Code: Int32 {
        case usage = 64
        case dataError = 65
        case noInput = 66
        case cannotCreate = 73
        case ioError = 74
        case config = 78
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ParsableCommand {
    /// Runs `body`, turning a `Failure` into its one-line message and exit code.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            StandardError.write("mailscrub: \(failure.message)")
            throw ExitCode(failure.code.rawValue)
        }
    }
}
