import Testing
import ChatModel

@Test func severityOrdersFromInfoToCritical() {
    #expect(Severity.info < Severity.critical)
    #expect(Severity.allCases.sorted() == [.info, .low, .medium, .high, .critical])
}
