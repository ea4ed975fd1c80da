import FuzzSupport

runFuzzer(mode: .lines)
