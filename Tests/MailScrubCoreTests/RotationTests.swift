import Foundation
import MailScrubBase
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubParsing

/// Rotation across simulated dates: the clock is a parameter, never read.
@Suite struct RotationTests {
    static func at(_ text: String) -> LogTime {
        // Safe to force unwrap: the test's own literals.
        LogTime(rfc3339: text)!
    }

    @Test func epochLabels() {
        let t = Self.at("2026-11-24T10:00:00Z")
        #expect(Epoch.label(t, .daily) == "2026-11-24")
        #expect(Epoch.label(t, .weekly) == "2026-W48")
        #expect(Epoch.label(t, .monthly) == "2026-11")
        #expect(Epoch.label(t, .never) == "all")
        #expect(Epoch.label(Self.at("2027-01-01T00:00:00Z"), .weekly) == "2026-W53")
        #expect(Epoch.label(Self.at("2026-01-01T00:00:00Z"), .weekly) == "2026-W01")
        #expect(Epoch.next(t, .monthly) == Self.at("2026-12-01T00:00:00Z"))
        #expect(Epoch.start(t, .weekly) == Self.at("2026-11-23T00:00:00Z"))
        #expect(Epoch.previous(t, .daily) == Self.at("2026-11-23T00:00:00Z"))
    }

    /// Simulated days: create, keep `retain`, destroy older; a second run does nothing.
    /// The first night also creates the retained days before it (yesterday's log needs a
    /// key), a night the job did not run is filled in the next, and no destroyed epoch
    /// ever gets a key again, even when rotation runs with a clock set back.
    @Test func planAcrossDays() {
        let rotation = Policy.Rotation(period: .daily, retain: 2)
        var store: [String] = []
        var ledger: Set<String> = []
        func rotate(_ now: String) -> RotationPlan {
            let plan = RotationPlan.make(existing: store, created: ledger, now: Self.at(now), rotation: rotation)
            ledger.formUnion(plan.create)
            store = (store.filter { !plan.destroy.contains($0) } + plan.create).sorted()
            return plan
        }
        #expect(rotate("2026-03-03T10:00:00Z") == RotationPlan(create: ["2026-03-02", "2026-03-03", "2026-03-04"], destroy: []))
        #expect(rotate("2026-03-03T10:05:00Z").isEmpty)
        #expect(rotate("2026-03-04T10:00:00Z") == RotationPlan(create: ["2026-03-05"], destroy: ["2026-03-02"]))
        #expect(rotate("2026-03-05T10:00:00Z") == RotationPlan(create: ["2026-03-06"], destroy: ["2026-03-03"]))
        #expect(rotate("2026-03-05T11:00:00Z").isEmpty)
        // The job did not run on the 6th and 7th: the 7th is still retained on the 8th.
        #expect(rotate("2026-03-08T10:00:00Z") == RotationPlan(create: ["2026-03-07", "2026-03-08", "2026-03-09"], destroy: ["2026-03-04", "2026-03-05", "2026-03-06"]))
        #expect(store == ["2026-03-07", "2026-03-08", "2026-03-09"])
        // A clock set back to the 5th: its epochs were destroyed, none is made anew.
        #expect(rotate("2026-03-05T12:00:00Z").create.isEmpty)
        // A store from before the ledger: gaps after its oldest key only.
        #expect(RotationPlan.make(existing: ["2026-03-06"], now: Self.at("2026-03-08T10:00:00Z"), rotation: Policy.Rotation(period: .daily, retain: 4))
            == RotationPlan(create: ["2026-03-07", "2026-03-08", "2026-03-09"], destroy: []))
    }

    @Test func monthlyNextKeyOnlyWhenDueWithinADay() {
        let rotation = Policy.Rotation(period: .monthly, retain: 3)
        #expect(RotationPlan.make(existing: [], now: Self.at("2026-11-15T00:00:00Z"), rotation: rotation).create == ["2026-09", "2026-10", "2026-11"])
        #expect(RotationPlan.make(existing: ["2026-11"], created: ["2026-09", "2026-10", "2026-11"], now: Self.at("2026-11-15T00:00:00Z"), rotation: rotation).isEmpty)
        #expect(RotationPlan.make(existing: ["2026-11"], now: Self.at("2026-11-30T12:00:00Z"), rotation: rotation).create == ["2026-12"])
    }

    static let log = """
        Mar  3 09:00:00 mx postfix/qmgr[1]: 4104E3D: from=<a@example.org>, size=10, nrcpt=1 (queue active)
        Mar  3 09:00:01 mx postfix/smtp[2]: 4104E3D: to=<b@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)
        Mar  4 09:00:01 mx postfix/smtp[2]: 4104E3D: to=<b@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)

        """

    static func ring(_ labels: [String: String]) -> EpochKeyRing {
        EpochKeyRing(period: .daily, secrets: labels.mapValues { Array($0.utf8) }, options: PseudonymOptions(), policy: .builtInDefault)
    }

    /// Same epoch: same pseudonyms; next epoch: different ones; retired epoch: refused.
    @Test func pseudonymsFollowTheEpochOfEachRecord() throws {
        let secrets = ["2026-03-03": "secret of the third of march, 0123456789", "2026-03-04": "secret of the fourth of march, 012345678"]
        let records = try TestSupport.run(Array(Self.log.utf8), mode: .records, keys: Self.ring(secrets), clock: TestSupport.clock(year: 2026))
        let lines = try records.split(separator: 0x0A).map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        #expect(lines.count == 2)
        let third = Pseudonymizer(secret: secrets["2026-03-03"]!)
        let fourth = Pseudonymizer(secret: secrets["2026-03-04"]!)
        #expect(lines[0]["key_id"] as? String == third.keyID && lines[1]["key_id"] as? String == fourth.keyID)
        #expect(lines[0]["recipient"] as? String == third.pseudonym(address: "b@example.net"))
        #expect(lines[1]["recipient"] as? String == fourth.pseudonym(address: "b@example.net"))
        #expect(lines[0]["recipient"] as? String != lines[1]["recipient"] as? String)
        // Reprocessing while the keys exist gives the same bytes.
        #expect(try TestSupport.run(Array(Self.log.utf8), mode: .records, keys: Self.ring(secrets), clock: TestSupport.clock(year: 2026)) == records)
        // Once the third's key is destroyed, its lines are refused, naming the epoch.
        #expect(throws: KeyError(epoch: "2026-03-03")) {
            try TestSupport.run(Array(Self.log.utf8), mode: .lines, keys: Self.ring(["2026-03-04": secrets["2026-03-04"]!]), clock: TestSupport.clock(year: 2026))
        }
    }

    @Test func keyFilesRoundTripAndNeverShowTheSecretInErrors() throws {
        let key = EpochKey(epoch: "2026-W48", period: .weekly, created: Self.at("2026-11-24T03:00:00Z"), secret: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
        #expect(try EpochKey.parse(key.text, path: "k") == key)
        do {
            _ = try EpochKey.parse("epoch: x\nperiod: daily\ncreated: \"2026-11-24T03:00:00Z\"\nsecret: shortsecret\n", path: "k")
            Issue.record("accepted a short secret")
        } catch {
            #expect(error.description.contains("shorter than 30") && !error.description.contains("shortsecret"))
        }
    }
}
