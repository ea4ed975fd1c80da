import ArgumentParser
import Foundation
import MailScrubCore

/// The `mailscrub` command: scrubbing is the default subcommand.
@main
struct MailScrubCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mailscrub",
        abstract: "Replace every address, message-id, IP and header value in Postfix logs by a keyed pseudonym.",
        discussion: """
            Reads Postfix syslog lines from the FILEs (or standard input) and writes, by
            default, one NDJSON record per delivery attempt (mailscrub.delivery/1), with
            every address, message-id, IP and header value replaced by its pseudonym.

            Examples:
              mailscrub keygen               create config/mailscrub.yml (new secret)
              mailscrub /var/log/mail.log > deliveries.ndjson
              zcat mail.log.2.gz | mailscrub --year 2025 > deliveries.2.ndjson
              mailscrub --emit lines mail.log     the log itself, scrubbed
              mailscrub --emit events mail.log    one JSON object per line
              mailscrub hash alice@example.org    one person's pseudonym
              mailscrub verify deliveries.ndjson  check output before handing it off
              mailscrub check                     what will leave, and weak choices
              mailscrub keys rotate               new epoch key, retire old ones

            Exit status:
              0   success (also when the reader of the output goes away early)
              64  bad command-line usage
              65  'verify' found a token that is not a pseudonym, or the output does not
                  match its manifest; a cut archive; input without any Postfix line
              66  an input file could not be opened
              73  an output cannot be created (--output, --manifest), or 'keygen' or
                  'keys import' would replace an existing file or key (use --force)
              74  a read or write error
              78  a configuration problem (secret, permissions, YAML, policy, key store),
                  no config where one is required, or no key for a line's epoch
            """,
        version: version,
        subcommands: [ScrubCommand.self, HashCommand.self, KeygenCommand.self, VerifyCommand.self, KeysCommand.self, CheckCommand.self],
        defaultSubcommand: ScrubCommand.self
    )

    /// `mailscrub --help` shows what a bare `mailscrub` does: argument-parser's root
    /// help lists only subcommands, so the scrub options are spliced in here.
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.count == 1, ["--help", "-h", "help"].contains(arguments.first!) {
            print(topLevelHelp())
            return
        }
        main(nil)
    }

    /// The root help with the default subcommand's arguments and options in place of
    /// the root's own usage and options.
    static func topLevelHelp(columns: Int? = nil) -> String {
        let root = helpMessage(columns: columns)
        let scrub = helpMessage(for: ScrubCommand.self, columns: columns)
        func section(_ text: String, from start: String, to end: String?) -> Substring {
            guard let from = text.range(of: start)?.lowerBound else { return "" }
            let to = end.flatMap { text.range(of: $0, range: from..<text.endIndex)?.lowerBound } ?? text.endIndex
            return text[from..<to]
        }
        let overview = section(root, from: "OVERVIEW:", to: "\nUSAGE:")
        return """
            \(overview)
            USAGE: mailscrub [scrub] [<options>] [<files> ...]
                   mailscrub <subcommand> [<options>]

            \(section(scrub, from: "ARGUMENTS:", to: nil).trimmingCharacters(in: .whitespacesAndNewlines))

            \(section(root, from: "SUBCOMMANDS:", to: nil).trimmingCharacters(in: .whitespacesAndNewlines))
            """
    }
}
