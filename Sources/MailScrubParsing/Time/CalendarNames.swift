import MailScrubBase

/// English month and weekday names as logs write them (`Jan`, `Wed`), case-insensitive.
enum CalendarNames {
    /// Month number (1–12) of a three-letter English month name at `i`, case-insensitive.
    static func month(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard i + 3 <= b.count else { return nil }
        let key = UInt32(ASCII.lower(b[i])) << 16 | UInt32(ASCII.lower(b[i + 1])) << 8 | UInt32(ASCII.lower(b[i + 2]))
        switch key {
        case 0x6A616E: return 1  // jan
        case 0x666562: return 2  // feb
        case 0x6D6172: return 3  // mar
        case 0x617072: return 4  // apr
        case 0x6D6179: return 5  // may
        case 0x6A756E: return 6  // jun
        case 0x6A756C: return 7  // jul
        case 0x617567: return 8  // aug
        case 0x736570: return 9  // sep
        case 0x6F6374: return 10  // oct
        case 0x6E6F76: return 11  // nov
        case 0x646563: return 12  // dec
        default: return nil
        }
    }

    /// True for a three-letter English weekday name at `i` (`Wed`), as journalctl writes it.
    static func isWeekday(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + 3 <= b.count else { return false }
        let key = UInt32(ASCII.lower(b[i])) << 16 | UInt32(ASCII.lower(b[i + 1])) << 8 | UInt32(ASCII.lower(b[i + 2]))
        switch key {
        case 0x6D6F6E, 0x747565, 0x776564, 0x746875, 0x667269, 0x736174, 0x73756E: return true  // mon … sun
        default: return false
        }
    }
}
