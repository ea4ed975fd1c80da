import FuzzSupport

runFuzzer(mode: .records)
