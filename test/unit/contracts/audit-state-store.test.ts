/** The audit state store contract on the in-memory fake. */
import { describeAuditStateStoreContract } from '../../contracts/audit-state-store.contract';
import { InMemoryAuditStateStore } from '../../../tools/fakes/in-memory-audit-state-store';

describeAuditStateStoreContract('InMemoryAuditStateStore', () => {
  const store = new InMemoryAuditStateStore();
  return Promise.resolve({
    store,
    writeRaw: (item) => Promise.resolve(store.writeRaw(item)),
  });
});
