import FuzzSupport

runFuzzer(mode: .events)
