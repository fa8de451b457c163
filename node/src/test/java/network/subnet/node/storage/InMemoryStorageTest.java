package network.subnet.node.storage;

import network.subnet.node.testing.AbstractKeyValueStorageTest;

class InMemoryStorageTest extends AbstractKeyValueStorageTest {

  @Override
  protected KeyValueStorage createStorage() {
    return new InMemoryStorage();
  }

  @Override
  protected KeyValueStorage reopen(KeyValueStorage storage) {
    return null;
  }
}
